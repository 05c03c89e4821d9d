with source as (

    select * from {{ source('disclosures', 'table_index_entries') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        listed_number,
        title,
        table_id,
        source_line
    from source

)

select * from renamed
