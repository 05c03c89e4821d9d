-- Grain: one row per evaluation of a performance-table rule on a disclosure version:
-- RULES T10-a (T10 weights add up to 100), T11-a (each project's weights plus its
-- 预算执行率权重 add up to 100), T11-b (年度资金总额 = 财政拨款 + 其他资金).
{{ evaluated_within_versions() }}
with

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}
    where {{ version_to_evaluate() }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}
    where {{ version_to_evaluate() }}

),

targets as (

    select * from {{ ref('stg_disclosures__performance_targets') }}
    where {{ version_to_evaluate() }}

),

t10_weights as (

    select
        indicators.disclosure_id,
        indicators.version_id,
        min(indicators.source_file) as source_file,
        min(targets.source_line) as source_line,
        {{ sum_of_parts('indicators.weight') }} as weight_total,
        count(*) as indicator_count,
        count(*) - count(indicators.weight) as missing_weights,
        min(case when indicators.weight is null then indicators.source_line end) as first_missing_line
    from indicators
    left join targets
        on indicators.disclosure_id = targets.disclosure_id
            and indicators.version_id = targets.version_id
    where indicators.table_id = 'T10'
    group by indicators.disclosure_id, indicators.version_id

),

t10_a as (

    select
        disclosure_id,
        version_id,
        'T10-a' as rule_id,
        'T10' as table_id,
        'indicator weights' as row_ref,
        source_file,
        coalesce(first_missing_line, source_line) as source_line,
        cast(100 as decimal(20, 6)) as expected,
        weight_total as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        '%' as measure_unit,
        cast(indicator_count as varchar) || ' indicators weigh ' || {{ display_number('weight_total') }}
        || case when missing_weights > 0
                then '; ' || cast(missing_weights as varchar) || ' without a weight cell'
            else ''
        end as message,
        cast(null as varchar) as status_override
    from t10_weights

),

project_weights as (

    select
        projects.disclosure_id,
        projects.version_id,
        projects.project_code,
        projects.project_name,
        projects.source_file,
        projects.source_line,
        projects.execution_weight,
        {{ sum_of_parts('indicators.weight') }} as weight_total,
        count(indicators.indicator_name) as indicator_count,
        count(indicators.indicator_name) - count(indicators.weight) as missing_weights,
        count(indicators.weight) as stated_weights,
        min(case when indicators.indicator_name is not null and indicators.weight is null
                then indicators.source_line
        end) as first_missing_line
    from projects
    left join indicators
        on projects.disclosure_id = indicators.disclosure_id
            and projects.version_id = indicators.version_id
            and indicators.table_id = 'T11'
            and projects.project_name = indicators.project_name
            and coalesce(indicators.project_code, '') = coalesce(projects.project_code, '')
    group by
        projects.disclosure_id, projects.version_id, projects.project_code, projects.project_name,
        projects.source_file, projects.source_line, projects.execution_weight

),

t11_a as (

    select
        disclosure_id,
        version_id,
        'T11-a' as rule_id,
        'T11' as table_id,
        coalesce(project_code || ' ', '') || project_name as row_ref,
        source_file,
        coalesce(first_missing_line, source_line) as source_line,
        cast(100 as decimal(20, 6)) as expected,
        weight_total + coalesce(execution_weight, 0) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        '%' as measure_unit,
        'indicator weights ' || {{ display_number('weight_total') }} || ' + 预算执行率权重 '
        || coalesce({{ display_number('execution_weight') }}, '(none)')
        || case when missing_weights > 0
                then '; ' || cast(missing_weights as varchar) || ' indicator(s) without a weight cell'
            else ''
        end
            as message,
        -- A template that prints no weight in a project's form (Shanghai's 财政项目支出绩效目标
        -- 填报表) gives the rule nothing to add up: its input is missing, not zero.
        case when stated_weights = 0 and execution_weight is null then 'insufficient_data' end as status_override
    from project_weights

),

t11_b as (

    select
        disclosure_id,
        version_id,
        'T11-b' as rule_id,
        'T11' as table_id,
        coalesce(project_code || ' ', '') || project_name as row_ref,
        source_file,
        coalesce(funds_line, source_line) as source_line,
        total_wan_yuan as expected,
        coalesce(fiscal_wan_yuan, 0) + coalesce(other_wan_yuan, 0) as actual,
        {{ half_unit('amount_decimals') }} * 3 as tolerance,
        '万元' as measure_unit,
        '年度资金总额 against 财政拨款 + 其他资金' as message,
        cast(null as varchar) as status_override
    from projects
    where total_wan_yuan is not null or fiscal_wan_yuan is not null

),

final as (

    {{ as_findings(['t10_a', 't11_a', 't11_b']) }}

)

select * from final
