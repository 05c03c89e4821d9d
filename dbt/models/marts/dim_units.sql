-- Grain: one row per unit of the county hierarchy: county → department (部门) → unit (单位).
-- Departments come from the disclosures (code from T11's 主管部门), units from the 实施单位
-- codes T11 reveals (103001 = department 103, unit 001).
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}

),

counties as (

    select * from {{ ref('counties') }}

),

county_codes as (

    select county_code from versions
    where county_code is not null
    union
    select county_code from counties

),

county_rows as (

    select
        county_codes.county_code as unit_id,
        coalesce(counties.county_name, county_codes.county_code) as unit_name,
        county_codes.county_code as unit_code,
        cast(null as varchar) as parent_unit_id,
        'county' as unit_level,
        county_codes.county_code,
        coalesce(counties.is_synthetic, false) as is_synthetic,
        0 as source_priority,
        cast(null as timestamp) as seen_at
    from county_codes
    left join counties on county_codes.county_code = counties.county_code

),

disclosure_rows as (

    select
        unit_id,
        unit_name,
        coalesce(own_unit_code, department_code) as unit_code,
        county_code as parent_unit_id,
        case when disclosure_kind = 'unit' then 'unit' else 'department' end as unit_level,
        county_code,
        is_synthetic,
        1 as source_priority,
        extracted_at as seen_at
    from versions

),

project_department_rows as (

    select
        versions.county_code || '-' || projects.department_code as unit_id,
        projects.department_name as unit_name,
        projects.department_code as unit_code,
        versions.county_code as parent_unit_id,
        'department' as unit_level,
        versions.county_code,
        versions.is_synthetic,
        2 as source_priority,
        versions.extracted_at as seen_at
    from projects
    inner join versions
        on projects.disclosure_id = versions.disclosure_id and projects.version_id = versions.version_id
    where projects.department_code is not null

),

project_unit_rows as (

    select
        versions.county_code || '-' || projects.unit_code as unit_id,
        projects.unit_name,
        projects.unit_code,
        coalesce(versions.county_code || '-' || projects.department_code, versions.unit_id) as parent_unit_id,
        'unit' as unit_level,
        versions.county_code,
        versions.is_synthetic,
        2 as source_priority,
        versions.extracted_at as seen_at
    from projects
    inner join versions
        on projects.disclosure_id = versions.disclosure_id and projects.version_id = versions.version_id
    where projects.unit_code is not null

),

candidates as (

    select * from county_rows
    union all
    select * from disclosure_rows
    union all
    select * from project_department_rows
    union all
    select * from project_unit_rows

),

ranked as (

    select
        *,
        row_number() over (
            partition by unit_id order by source_priority asc, seen_at desc nulls last, unit_name asc
        ) as candidate_rank
    from candidates

),

final as (

    select
        unit_id,
        unit_name,
        unit_code,
        parent_unit_id,
        unit_level,
        county_code,
        is_synthetic
    from ranked
    where candidate_rank = 1

)

select * from final
