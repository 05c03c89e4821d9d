with source as (

    select * from {{ source('disclosures', 'procurement_items') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        source_line,
        row_order,
        item_name,
        category,
        quantity,
        amount_wan_yuan,
        decimals,
        is_total_row
    from source

)

select * from renamed
