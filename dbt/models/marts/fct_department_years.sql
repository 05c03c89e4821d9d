-- Grain: one row per unit × year: a 部门 disclosure's figures belong to its department, a 单位
-- disclosure's to its unit; current versions only. A year with its own disclosure takes its
-- figures from it; a prior year without one takes the figures the next year's narrative implies.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

figures as (

    select * from {{ ref('int_department_year_figures') }}

),

pivoted as (

    select
        versions.unit_id,
        figures.year,
        figures.is_prior_year,
        figures.disclosure_id,
        figures.version_id,
        max(case when measure = 'total_income' then amount_wan_yuan end) as total_income_wan_yuan,
        max(case when measure = 'total_expenditure' then amount_wan_yuan end) as total_expenditure_wan_yuan,
        max(case when measure = 'general_public_budget' then amount_wan_yuan end) as general_public_budget_wan_yuan,
        max(case when measure = 'gov_fund_budget' then amount_wan_yuan end) as gov_fund_budget_wan_yuan,
        max(case when measure = 'basic_expenditure' then amount_wan_yuan end) as basic_expenditure_wan_yuan,
        max(case when measure = 'project_expenditure' then amount_wan_yuan end) as project_expenditure_wan_yuan,
        max(case when measure = 'three_public_total' then amount_wan_yuan end) as three_public_total_wan_yuan,
        max(case when measure = 'operating_costs' then amount_wan_yuan end) as operating_costs_wan_yuan,
        max(case when measure = 'procurement_total' then amount_wan_yuan end) as procurement_total_wan_yuan,
        string_agg(distinct figure_source, ', ' order by figure_source) as figure_sources
    from figures
    inner join versions
        on figures.disclosure_id = versions.disclosure_id and figures.version_id = versions.version_id
    group by versions.unit_id, figures.year, figures.is_prior_year, figures.disclosure_id, figures.version_id

),

ranked as (

    select
        *,
        row_number() over (
            partition by unit_id, year order by is_prior_year, disclosure_id
        ) as year_rank
    from pivoted

),

final as (

    select
        unit_id,
        year,
        disclosure_id,
        version_id,
        is_prior_year as is_implied_by_next_year,
        total_income_wan_yuan,
        total_expenditure_wan_yuan,
        general_public_budget_wan_yuan,
        gov_fund_budget_wan_yuan,
        basic_expenditure_wan_yuan,
        project_expenditure_wan_yuan,
        three_public_total_wan_yuan,
        operating_costs_wan_yuan,
        procurement_total_wan_yuan,
        figure_sources
    from ranked
    where year_rank = 1

)

select * from final
