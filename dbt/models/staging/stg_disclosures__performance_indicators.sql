with source as (

    select * from {{ source('disclosures', 'performance_indicators') }}

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
        indicator_order,
        level1,
        level2,
        indicator_name,
        operator,
        target_value,
        measure_unit,
        weight,
        was_realigned
    from source

)

select * from renamed
