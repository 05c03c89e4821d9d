with source as (

    select * from {{ source('disclosures', 'three_public_cells') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        source_line,
        budget_year,
        item,
        amount_wan_yuan,
        decimals
    from source

)

select * from renamed
