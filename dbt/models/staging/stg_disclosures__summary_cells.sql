with source as (

    select * from {{ source('disclosures', 'budget_summary_cells') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        source_line,
        side,
        row_order,
        row_label,
        row_role,
        function_code,
        column_key,
        amount_wan_yuan,
        decimals
    from source

)

select * from renamed
