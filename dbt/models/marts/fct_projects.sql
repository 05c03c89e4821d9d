-- Grain: one row per project (项目) of a current disclosure's T11 项目绩效目标表.
with

projects as (

    select * from {{ ref('stg_disclosures__projects') }}

),

indicators as (

    select
        disclosure_id,
        version_id,
        project_name,
        project_code,
        count(*) as indicator_count,
        sum(coalesce(weight, 0)) as indicator_weight_total
    from {{ ref('stg_disclosures__performance_indicators') }}
    where table_id = 'T11'
    group by disclosure_id, version_id, project_name, project_code

),

final as (

    select
        projects.disclosure_id,
        projects.version_id,
        versions.unit_id as disclosure_unit_id,
        coalesce(versions.county_code || '-' || projects.unit_code, versions.unit_id) as unit_id,
        versions.year,
        projects.project_code,
        projects.project_name,
        projects.unit_code,
        projects.unit_name,
        projects.department_code,
        projects.department_name,
        projects.total_wan_yuan,
        projects.fiscal_wan_yuan,
        projects.other_wan_yuan,
        projects.execution_weight,
        coalesce(indicators.indicator_count, 0) as indicator_count,
        coalesce(indicators.indicator_weight_total, 0) as indicator_weight_total,
        projects.goal,
        {{ provenance_columns('projects') }}
    from projects
    {{ join_current_versions('projects') }}
    left join indicators
        on projects.disclosure_id = indicators.disclosure_id
            and projects.version_id = indicators.version_id
            and projects.project_name = indicators.project_name
            and coalesce(indicators.project_code, '') = coalesce(projects.project_code, '')

)

select * from final
