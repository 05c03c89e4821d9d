with source as (

    select * from {{ source('disclosures', 'extraction_problems') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        source_line,
        table_id,
        reason
    from source

)

select * from renamed
