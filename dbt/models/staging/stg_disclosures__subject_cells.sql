with source as (

    select * from {{ source('disclosures', 'subject_expenditure_cells') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        classification,
        source_line,
        row_order,
        subject_code,
        subject_name,
        column_key,
        amount_wan_yuan,
        decimals
    from source

)

select * from renamed
