-- Grain: one row per evaluation of a rule that ties the performance tables to the money
-- tables on a disclosure version: RULES X-5 (projects' 财政拨款 against 项目支出), X-6 (a cost
-- indicator against its project amount) and X-7 (T10 部门支出预算数 against T1).
{{ evaluated_within_versions() }}
with

summary as (

    select * from {{ ref('stg_disclosures__summary_cells') }}
    where {{ version_to_evaluate() }}

),

subjects as (

    select * from {{ ref('stg_disclosures__subject_cells') }}
    where {{ version_to_evaluate() }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}
    where {{ version_to_evaluate() }}

),

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}
    where {{ version_to_evaluate() }}

),

targets as (

    select * from {{ ref('stg_disclosures__performance_targets') }}
    where {{ version_to_evaluate() }}

),

t2_cells as (

    select * from subjects
    where table_id = 'T2'

),

-- RULES X-5: the projects' 财政拨款 in T11 add up to 项目支出 of T2; the gap is uncovered 项目支出
project_sums as (

    select
        disclosure_id,
        version_id,
        {{ sum_of_parts('fiscal_wan_yuan') }} as fiscal_amount,
        {{ parts_envelope('fiscal_wan_yuan', 'amount_decimals') }}
            as fiscal_tolerance,
        count(*) as project_count
    from projects
    group by disclosure_id, version_id

),

x_5 as (

    select
        t2.disclosure_id,
        t2.version_id,
        'X-5' as rule_id,
        'T11' as table_id,
        'sum of project 财政拨款 = T2 合计 项目支出' as row_ref,
        t2.source_file,
        t2.source_line,
        coalesce(t2.amount_wan_yuan, 0) as expected,
        project_sums.fiscal_amount as actual,
        {{ half_unit('t2.decimals') }} + project_sums.fiscal_tolerance as tolerance,
        cast(project_sums.project_count as varchar) || ' projects'' 财政拨款 add up to '
        || {{ display_number('project_sums.fiscal_amount') }} || ' 万元; '
        || {{ display_number('coalesce(t2.amount_wan_yuan, 0) - project_sums.fiscal_amount') }}
        || ' 万元 of 项目支出 is not covered by a published project' as message,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from t2_cells as t2
    inner join project_sums
        on t2.disclosure_id = project_sums.disclosure_id and t2.version_id = project_sums.version_id
    where t2.subject_code is null and t2.column_key = 'project'

),

-- RULES X-6: a T11 cost indicator in 元 or 万元 agrees with its project amount
cost_indicators as (

    select
        indicators.*,
        replace(indicators.target_value, ',', '') as bound_text,
        case when indicators.measure_unit like '万元%' then 0 else 4 end as decimal_shift
    from indicators
    where indicators.table_id = 'T11'
        and (indicators.level1 like '%成本%' or indicators.level2 like '%成本%')
        and (indicators.measure_unit like '万元%' or indicators.measure_unit like '元%')
        and {{ number_or_null("replace(indicators.target_value, ',', '')") }} is not null

),

cost_bounds as (

    select
        cost_indicators.*,
        cast(bound_text as decimal(20, 6)) * case when decimal_shift = 4 then 0.0001 else 1 end as bound_wan_yuan,
        decimal_shift + case when position('.' in bound_text) > 0
                then length(bound_text) - position('.' in bound_text)
            else 0
        end as bound_decimals,
        projects.total_wan_yuan as project_amount,
        projects.amount_decimals as project_decimals
    from cost_indicators
    inner join projects
        on cost_indicators.disclosure_id = projects.disclosure_id
            and cost_indicators.version_id = projects.version_id
            and cost_indicators.project_name = projects.project_name
            and coalesce(projects.project_code, '') = coalesce(cost_indicators.project_code, '')

),

x_6 as (

    select
        disclosure_id,
        version_id,
        'X-6' as rule_id,
        'T11' as table_id,
        coalesce(project_code || ' ', '') || project_name || ': ' || indicator_name || ' ' || operator || ' '
        || target_value || ' ' || measure_unit as row_ref,
        source_file,
        source_line,
        bound_wan_yuan as expected,
        project_amount as actual,
        {{ half_unit('bound_decimals') }} + {{ half_unit('project_decimals') }} as tolerance,
        'cost indicator ' || operator || ' ' || {{ display_number('bound_wan_yuan') }} || ' 万元 against 年度资金总额'
            as message,
        -- The project amount against the indicator's bound, the way the indicator states it.
        case
            when operator in ('<', '≤', '<=', '≦') then '≤'
            when operator in ('>', '≥', '>=', '≧') then '≥'
            else '='
        end as comparison,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from cost_bounds
    where operator in ('=', '<', '≤', '<=', '≦', '>', '≥', '>=', '≧')

),

-- RULES X-7: T10 部门支出预算数 = T1 支出合计
x_7 as (

    select
        targets.disclosure_id,
        targets.version_id,
        'X-7' as rule_id,
        'T10' as table_id,
        '部门支出预算数 = T1 支出合计' as row_ref,
        targets.source_file,
        coalesce(targets.budget_line, targets.source_line) as source_line,
        t1.amount_wan_yuan as expected,
        targets.budget_wan_yuan as actual,
        {{ half_unit('t1.decimals') }} + {{ half_unit('targets.budget_decimals') }} as tolerance,
        'T10 部门支出预算数 against T1 支出合计 (line ' || cast(t1.source_line as varchar) || ')' as message,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from targets
    inner join summary as t1
        on targets.disclosure_id = t1.disclosure_id and targets.version_id = t1.version_id
            and t1.table_id = 'T1'
            and t1.side = 'expenditure'
            and t1.row_role = 'grand_total'
            and t1.column_key = 'total'

),

final as (

    {{ as_findings(['x_5', 'x_6', 'x_7'], one_sided=['x_6']) }}

)

select * from final
