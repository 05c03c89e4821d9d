-- Grain: one row per unit × year with its own current disclosure: the figures departments
-- are compared on, their shares, the change against the prior year, the rank within the
-- county, and the reconciliation findings by severity.
with

years as (

    select * from {{ ref('fct_department_years') }}
    where not is_implied_by_next_year

),

all_years as (

    select * from {{ ref('fct_department_years') }}

),

units as (

    select * from {{ ref('dim_units') }}

),

personnel as (

    select
        disclosure_id,
        sum(amount_wan_yuan) as personnel_wan_yuan
    from {{ ref('fct_basic_expenditures') }}
    where cost_kind = 'personnel' and is_leaf
    group by disclosure_id

),

findings as (

    select
        disclosure_id,
        count(case when status = 'fail' and severity = 'error' then 1 end) as failing_errors,
        count(case when status = 'fail' and severity = 'warning' then 1 end) as failing_warnings,
        count(case when status = 'insufficient_data' then 1 end) as insufficient_data,
        count(case when status in ('pass', 'rounding') then 1 end) as passed
    from {{ ref('fct_reconciliation_findings') }}
    group by disclosure_id

),

joined as (

    select
        years.unit_id,
        units.unit_name,
        units.county_code,
        units.is_synthetic,
        case
            when units.unit_name like '%镇人民政府' or units.unit_name like '%乡人民政府'
                or units.unit_name like '%街道办事处' then 'township'
            else 'department'
        end as unit_kind,
        years.year,
        years.disclosure_id,
        years.total_expenditure_wan_yuan,
        years.basic_expenditure_wan_yuan,
        years.project_expenditure_wan_yuan,
        personnel.personnel_wan_yuan,
        years.three_public_total_wan_yuan,
        previous.total_expenditure_wan_yuan as prior_total_expenditure_wan_yuan,
        coalesce(findings.failing_errors, 0) as failing_errors,
        coalesce(findings.failing_warnings, 0) as failing_warnings,
        coalesce(findings.insufficient_data, 0) as insufficient_data,
        coalesce(findings.passed, 0) as findings_passed
    from years
    left join units on years.unit_id = units.unit_id
    left join personnel on years.disclosure_id = personnel.disclosure_id
    left join findings on years.disclosure_id = findings.disclosure_id
    left join all_years as previous on years.unit_id = previous.unit_id and previous.year = years.year - 1

),

final as (

    select
        *,
        cast(
            round(100.0 * basic_expenditure_wan_yuan / nullif(total_expenditure_wan_yuan, 0), 2)
            as decimal(10, 2)
        ) as basic_share_pct,
        cast(
            round(100.0 * project_expenditure_wan_yuan / nullif(total_expenditure_wan_yuan, 0), 2)
            as decimal(10, 2)
        ) as project_share_pct,
        cast(
            round(100.0 * personnel_wan_yuan / nullif(basic_expenditure_wan_yuan, 0), 2)
            as decimal(10, 2)
        ) as personnel_share_of_basic_pct,
        cast(
            round(100.0 * three_public_total_wan_yuan / nullif(total_expenditure_wan_yuan, 0), 2)
            as decimal(10, 2)
        ) as three_public_share_pct,
        total_expenditure_wan_yuan - prior_total_expenditure_wan_yuan as change_wan_yuan,
        cast(round(
            100.0 * (total_expenditure_wan_yuan - prior_total_expenditure_wan_yuan)
            / nullif(prior_total_expenditure_wan_yuan, 0), 2
        ) as decimal(10, 2
        )) as change_pct,
        rank() over (
            partition by county_code, year order by total_expenditure_wan_yuan desc nulls last
        ) as rank_in_county
    from joined

)

select * from final
