-- Grain: one row per disclosure version. Adds the unit the disclosure belongs to and
-- whether the version is current: the latest loaded of its county × year × unit × kind (a
-- revised disclosure supersedes the earlier one, which stays as history), unless its file
-- left raw/ (retired).
with

disclosures as (

    select * from {{ ref('stg_disclosures__disclosures') }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}

),

counties as (

    select * from {{ ref('counties') }}

),

retired as (

    select * from {{ ref('stg_disclosures__retired_disclosures') }}

),

-- T11 names each project's 主管部门 as "103-垫江县人民政府办公室": the department code.
department_codes as (

    select
        disclosure_id,
        version_id,
        department_code,
        row_number() over (
            partition by disclosure_id, version_id order by count(*) desc, department_code
        ) as code_rank
    from projects
    where department_code is not null
    group by disclosure_id, version_id, department_code

),

-- A 单位 disclosure covers one unit: the 实施单位 code its projects carry.
unit_codes as (

    select
        disclosure_id,
        version_id,
        unit_code,
        row_number() over (
            partition by disclosure_id, version_id order by count(*) desc, unit_code
        ) as code_rank
    from projects
    where unit_code is not null
    group by disclosure_id, version_id, unit_code

),

identified as (

    select
        disclosures.*,
        department_codes.department_code,
        case when disclosures.disclosure_kind = 'unit' then unit_codes.unit_code end as own_unit_code,
        counties.county_name,
        coalesce(counties.is_synthetic, disclosures.county_code like '99%') as is_synthetic,
        retired.retired_at
    from disclosures
    left join department_codes
        on disclosures.disclosure_id = department_codes.disclosure_id
            and disclosures.version_id = department_codes.version_id
            and department_codes.code_rank = 1
    left join unit_codes
        on disclosures.disclosure_id = unit_codes.disclosure_id
            and disclosures.version_id = unit_codes.version_id
            and unit_codes.code_rank = 1
    left join counties on disclosures.county_code = counties.county_code
    left join retired on disclosures.disclosure_id = retired.disclosure_id

),

final as (

    select
        *,
        county_code || '-' || coalesce(
            own_unit_code,
            department_code,
            -- a department's 部门预算 and its main unit's own 单位预算 often share a name:
            -- two units, two ids
            case when disclosure_kind = 'unit' then 'u' else 'n' end
            || substr(md5(coalesce(unit_name, disclosure_id)), 1, 8)
        ) as unit_id,
        retired_at is not null as is_retired,
        retired_at is null and row_number() over (
            partition by county_code, year, coalesce(unit_name, disclosure_id), coalesce(disclosure_kind, '')
            order by retired_at is null desc, extracted_at desc, disclosure_id desc
        ) = 1 as is_current
    from identified

)

select * from final
