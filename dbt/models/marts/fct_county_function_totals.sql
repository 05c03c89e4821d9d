-- Grain: one row per county × year × function subject × fund: what the county's departments
-- budget for a subject from 一般公共预算 (T2) and 政府性基金预算 (T5), summed so that a BI user can
-- add up any rows without counting anything twice. Three traps of fct_function_expenditures are
-- closed here: only department-level disclosures count (a 单位预算 repeats part of its
-- department's), only each disclosure's leaves (a 类 or 款 is the sum of the lines under it),
-- and only T2 and T5 (T8 restates them with the other funds).
with

expenditures as (

    select * from {{ ref('fct_function_expenditures') }}
    where is_leaf and fund_code in ('general_public', 'gov_fund')

),

department_versions as (

    select
        disclosure_id,
        version_id
    from {{ ref('fct_disclosure_versions') }}
    where is_current and disclosure_kind is distinct from 'unit'

),

units as (

    select * from {{ ref('dim_units') }}

),

subjects as (

    select * from {{ ref('dim_function_subjects') }}

),

final as (

    select
        units.county_code,
        expenditures.year,
        expenditures.function_code,
        subjects.function_name,
        subjects.level as function_level,
        subjects.class_code,
        expenditures.fund_code,
        sum(expenditures.amount_wan_yuan) as amount_wan_yuan,
        sum(case when expenditures.expenditure_kind = 'basic' then expenditures.amount_wan_yuan end)
            as basic_wan_yuan,
        sum(case when expenditures.expenditure_kind = 'project' then expenditures.amount_wan_yuan end)
            as project_wan_yuan,
        count(distinct expenditures.disclosure_id) as disclosure_count
    from expenditures
    inner join department_versions
        on
            expenditures.disclosure_id = department_versions.disclosure_id
            and expenditures.version_id = department_versions.version_id
    inner join units on expenditures.unit_id = units.unit_id
    inner join subjects on expenditures.function_code = subjects.function_code
    group by
        units.county_code,
        expenditures.year,
        expenditures.function_code,
        subjects.function_name,
        subjects.level,
        subjects.class_code,
        expenditures.fund_code

)

select * from final
