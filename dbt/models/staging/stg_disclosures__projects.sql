with source as (

    select * from {{ source('disclosures', 'projects') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        source_line,
        project_code,
        project_name,
        unit_code,
        unit_name,
        department_code,
        department_name,
        execution_weight,
        total_wan_yuan,
        fiscal_wan_yuan,
        other_wan_yuan,
        amount_decimals,
        funds_line,
        goal,
        goal_line
    from source

)

select * from renamed
