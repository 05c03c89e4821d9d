with source as (

    select * from {{ source('disclosures', 'source_pages') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        page,
        first_line,
        last_line
    from source

)

select * from renamed
