with source as (

    select * from {{ source('disclosures', 'performance_targets') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        source_line,
        unit_name,
        budget_wan_yuan,
        budget_decimals,
        budget_line,
        goal
    from source

)

select * from renamed
