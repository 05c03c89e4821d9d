-- Grain: one row per performance indicator (绩效指标) of a current disclosure: T10's
-- department-wide indicators (project_code null) and T11's project indicators.
with

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}

),

final as (

    select
        indicators.disclosure_id,
        indicators.version_id,
        versions.unit_id,
        versions.year,
        indicators.table_id,
        indicators.project_code,
        indicators.project_name,
        indicators.indicator_order,
        indicators.level1 as indicator_level1,
        indicators.level2 as indicator_level2,
        indicators.indicator_name,
        indicators.operator,
        indicators.target_value,
        {{ number_or_null("replace(indicators.target_value, ',', '')") }} as target_number,
        indicators.measure_unit,
        indicators.weight,
        indicators.was_realigned,
        {{ provenance_columns('indicators') }}
    from indicators
    {{ join_current_versions('indicators') }}

)

select * from final
