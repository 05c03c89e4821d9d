-- Grain: one row per evaluation of a cross-table rule (RULES X-1 … X-7, and T6-b: the totals of
-- T6, T7 and T8 agree) on a disclosure version.
with

summary as (

    select * from {{ ref('stg_disclosures__summary_cells') }}

),

subjects as (

    select * from {{ ref('stg_disclosures__subject_cells') }}

),

three_public as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}

),

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}

),

targets as (

    select * from {{ ref('stg_disclosures__performance_targets') }}

),

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

t2_cells as (

    select * from subjects
    where table_id = 'T2'

),

t3_cells as (

    select * from subjects
    where table_id = 'T3'

),

t1_general_public as (

    select * from summary
    where table_id = 'T1' and side = 'expenditure' and column_key = 'general_public'

),

-- RULES X-1: T2 合计 = T1 一般公共预算 of 本年支出; each class of T2 = that class's T1 row
t2_lines as (

    select
        disclosure_id,
        version_id,
        coalesce(subject_code, '合计') as line_key,
        subject_name,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from t2_cells
    where column_key = 'total' and (subject_code is null or length(subject_code) = 3)

),

-- The T1 line that holds this year's expenditure: 本年支出, or where a template prints no
-- such line and carries nothing over (Shanghai), 支出总计.
t1_totals as (

    select
        *,
        row_number() over (
            partition by disclosure_id, version_id order by case row_role when 'current_total' then 1 else 2 end
        ) as preference
    from t1_general_public
    where
        row_role = 'current_total'
        or (
            row_role = 'grand_total'
            and not exists (
                select 1 from t1_general_public as carried
                where
                    carried.disclosure_id = t1_general_public.disclosure_id
                    and carried.version_id = t1_general_public.version_id
                    and carried.row_role = 'carryforward'
                    and coalesce(carried.amount_wan_yuan, 0) != 0
            )
        )

),

t1_lines as (

    select
        disclosure_id,
        version_id,
        '合计' as line_key,
        row_label,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from t1_totals
    where preference = 1
    union all
    select
        disclosure_id,
        version_id,
        function_code as line_key,
        row_label,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from t1_general_public
    where row_role = 'class' and function_code is not null

),

x_1 as (

    select
        coalesce(t2_lines.disclosure_id, t1_lines.disclosure_id) as disclosure_id,
        coalesce(t2_lines.version_id, t1_lines.version_id) as version_id,
        'X-1' as rule_id,
        'T2' as table_id,
        coalesce(t2_lines.line_key, t1_lines.line_key) || ' ' || coalesce(t2_lines.subject_name, t1_lines.row_label)
            as row_ref,
        coalesce(t2_lines.source_file, t1_lines.source_file) as source_file,
        coalesce(t2_lines.source_line, t1_lines.source_line) as source_line,
        coalesce(t1_lines.amount_wan_yuan, 0) as expected,
        coalesce(t2_lines.amount_wan_yuan, 0) as actual,
        {{ half_unit('t1_lines.decimals') }} + {{ half_unit('t2_lines.decimals') }} as tolerance,
        'T2 ' || coalesce(t2_lines.line_key, t1_lines.line_key) || ' against T1 line '
        || coalesce(cast(t1_lines.source_line as varchar), '(missing)') || ' (一般公共预算 column)' as message,
        cast(null as varchar) as status_override
    from t2_lines
    full outer join t1_lines
        on t2_lines.disclosure_id = t1_lines.disclosure_id
            and t2_lines.version_id = t1_lines.version_id
            and t2_lines.line_key = t1_lines.line_key
    where coalesce(t2_lines.disclosure_id, t1_lines.disclosure_id) in (select disclosure_id from t2_cells)
        and coalesce(t2_lines.disclosure_id, t1_lines.disclosure_id) in (select disclosure_id from t1_general_public)

),

-- RULES X-2: T3 合计 = T2 合计 of 基本支出
x_2 as (

    select
        t3.disclosure_id,
        t3.version_id,
        'X-2',
        'T3',
        '合计 总计 = T2 合计 基本支出',
        t3.source_file,
        t3.source_line,
        t2.amount_wan_yuan as expected,
        t3.amount_wan_yuan as actual,
        {{ half_unit('t2.decimals') }} + {{ half_unit('t3.decimals') }},
        'T3 合计 against T2 合计 基本支出 (line ' || cast(t2.source_line as varchar) || ')',
        cast(null as varchar)
    from t3_cells as t3
    inner join t2_cells as t2
        on t3.disclosure_id = t2.disclosure_id
            and t3.version_id = t2.version_id
            and t2.subject_code is null
            and t2.column_key = 'basic'
    where t3.subject_code is null and t3.column_key = 'total'

),

-- RULES X-3: economic lines that mirror function lines agree (basic expenditure)
mirror_pairs as (

    select * from (
        values
        ('30108', '2080505', 'pension contributions'),
        ('30109', '2080506', 'occupational annuity'),
        ('30113', '2210201', 'housing provident fund')
    -- the alias names the VALUES columns; sqlfluff's AL05 fix would drop them
    ) as pairs (economic_code, function_code, meaning)  -- noqa: AL05

),

-- Versions whose T2 prints a 基本支出 column (Jiangsu's 一般公共预算支出预算表 prints 金额 only).
t2_basic_versions as (

    select distinct
        disclosure_id,
        version_id
    from t2_cells
    where column_key = 'basic'

),

x_3 as (

    select
        t3.disclosure_id,
        t3.version_id,
        'X-3',
        'T3',
        mirror_pairs.economic_code || ' = ' || mirror_pairs.function_code,
        t3.source_file,
        t3.source_line,
        coalesce(t2.amount_wan_yuan, 0),
        coalesce(t3.amount_wan_yuan, 0),
        {{ half_unit('t2.decimals') }} + {{ half_unit('t3.decimals') }},
        'T3 ' || mirror_pairs.economic_code || ' (' || mirror_pairs.meaning || ') against T2 '
        || mirror_pairs.function_code || ' 基本支出'
        || case when t2_basic_versions.disclosure_id is null then ' (T2 prints no 基本支出 column)' else '' end,
        case when t2_basic_versions.disclosure_id is null then 'insufficient_data' end
    from mirror_pairs
    inner join t3_cells as t3
        on mirror_pairs.economic_code = t3.subject_code and t3.column_key = 'total'
    left join t2_cells as t2
        on mirror_pairs.function_code = t2.subject_code and t2.column_key = 'basic'
            and t3.disclosure_id = t2.disclosure_id and t3.version_id = t2.version_id
    left join t2_basic_versions
        on t3.disclosure_id = t2_basic_versions.disclosure_id and t3.version_id = t2_basic_versions.version_id
    where t3.disclosure_id in (select disclosure_id from t2_cells)

),

-- RULES X-4: each basic-expenditure line of T3 is at most its 三公 figure in T4 (budget year)
limit_pairs as (

    select * from (
        values
        ('30212', 'overseas', '因公出国(境)费'),
        ('30217', 'reception', '公务接待费'),
        ('30231', 'vehicle_operation', '公务用车运行费'),
        ('31013', 'vehicle_purchase', '公务用车购置费')
    -- the alias names the VALUES columns; sqlfluff's AL05 fix would drop them
    ) as pairs (economic_code, item, item_name)  -- noqa: AL05

),

x_4 as (

    select
        t3.disclosure_id,
        t3.version_id,
        'X-4',
        'T3',
        limit_pairs.economic_code || ' ≤ T4 ' || limit_pairs.item_name,
        t3.source_file,
        t3.source_line,
        coalesce(t4.amount_wan_yuan, 0),
        coalesce(t3.amount_wan_yuan, 0),
        {{ half_unit('t4.decimals') }} + {{ half_unit('t3.decimals') }},
        'T3 ' || limit_pairs.economic_code || ' (basic expenditure) must not exceed T4 ' || limit_pairs.item_name
        || '; the rest of the 三公 figure is in projects',
        case
            when coalesce(t3.amount_wan_yuan, 0) <= coalesce(t4.amount_wan_yuan, 0) then 'pass'
            when coalesce(t3.amount_wan_yuan, 0) - coalesce(t4.amount_wan_yuan, 0)
                <= {{ half_unit('t4.decimals') }} + {{ half_unit('t3.decimals') }} then 'rounding'
            else 'fail'
        end
    from limit_pairs
    inner join t3_cells as t3
        on limit_pairs.economic_code = t3.subject_code and t3.column_key = 'total'
    inner join versions
        on t3.disclosure_id = versions.disclosure_id and t3.version_id = versions.version_id
    inner join three_public as t4
        on t3.disclosure_id = t4.disclosure_id and t3.version_id = t4.version_id
            and limit_pairs.item = t4.item and versions.year = t4.budget_year

),

-- RULES X-5: the projects' 财政拨款 in T11 add up to 项目支出 of T2; the gap is uncovered 项目支出
project_sums as (

    select
        disclosure_id,
        version_id,
        sum(coalesce(fiscal_wan_yuan, 0)) as fiscal_amount,
        sum(case when fiscal_wan_yuan is not null then {{ half_unit('amount_decimals') }} else 0 end)
            as fiscal_tolerance,
        count(*) as project_count
    from projects
    group by disclosure_id, version_id

),

x_5 as (

    select
        t2.disclosure_id,
        t2.version_id,
        'X-5',
        'T11',
        'sum of project 财政拨款 = T2 合计 项目支出',
        t2.source_file,
        t2.source_line,
        coalesce(t2.amount_wan_yuan, 0),
        project_sums.fiscal_amount,
        {{ half_unit('t2.decimals') }} + project_sums.fiscal_tolerance,
        cast(project_sums.project_count as varchar) || ' projects'' 财政拨款 add up to '
        || {{ display_number('project_sums.fiscal_amount') }} || ' 万元; '
        || {{ display_number('coalesce(t2.amount_wan_yuan, 0) - project_sums.fiscal_amount') }}
        || ' 万元 of 项目支出 is not covered by a published project',
        cast(null as varchar)
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
        and try_cast(replace(indicators.target_value, ',', '') as decimal(20, 6)) is not null

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
        'X-6',
        'T11',
        coalesce(project_code || ' ', '') || project_name || ': ' || indicator_name || ' ' || operator || ' '
        || target_value || ' ' || measure_unit,
        source_file,
        source_line,
        bound_wan_yuan,
        project_amount,
        {{ half_unit('bound_decimals') }} + {{ half_unit('project_decimals') }},
        'cost indicator ' || operator || ' ' || {{ display_number('bound_wan_yuan') }} || ' 万元 against 年度资金总额',
        case
            when project_amount is null then 'insufficient_data'
            when operator in ('<', '≤', '<=', '≦') and project_amount <= bound_wan_yuan then 'pass'
            when operator in ('>', '≥', '>=', '≧') and project_amount >= bound_wan_yuan then 'pass'
            when operator = '=' and project_amount = bound_wan_yuan then 'pass'
            when abs(project_amount - bound_wan_yuan)
                <= {{ half_unit('bound_decimals') }} + {{ half_unit('project_decimals') }} then 'rounding'
            else 'fail'
        end
    from cost_bounds
    where operator in ('=', '<', '≤', '<=', '≦', '>', '≥', '>=', '≧')

),

-- RULES X-7: T10 部门支出预算数 = T1 支出合计
x_7 as (

    select
        targets.disclosure_id,
        targets.version_id,
        'X-7',
        'T10',
        '部门支出预算数 = T1 支出合计',
        targets.source_file,
        coalesce(targets.budget_line, targets.source_line),
        t1.amount_wan_yuan,
        targets.budget_wan_yuan,
        {{ half_unit('t1.decimals') }} + {{ half_unit('targets.budget_decimals') }},
        'T10 部门支出预算数 against T1 支出合计 (line ' || cast(t1.source_line as varchar) || ')',
        cast(null as varchar)
    from targets
    inner join summary as t1
        on targets.disclosure_id = t1.disclosure_id and targets.version_id = t1.version_id
            and t1.table_id = 'T1'
            and t1.side = 'expenditure'
            and t1.row_role = 'grand_total'
            and t1.column_key = 'total'

),

-- RULES T6-b: T6 total = T7 total = T8 total (部门收支总表, 部门收入总表, 部门支出总表)
department_totals as (

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from summary
    where table_id = 'T6' and side = 'income' and row_role = 'grand_total' and column_key = 'amount'

    union all

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from subjects
    where table_id in ('T7', 'T8') and subject_code is null and column_key = 'total'

),

t6_b as (

    select
        other.disclosure_id,
        other.version_id,
        'T6-b',
        other.table_id,
        other.table_id || ' 合计 = T6 收入总计',
        other.source_file,
        other.source_line,
        t6.amount_wan_yuan as expected,
        other.amount_wan_yuan as actual,
        {{ half_unit('t6.decimals') }} + {{ half_unit('other.decimals') }},
        other.table_id || ' 合计 against T6 收入总计 (line ' || cast(t6.source_line as varchar) || ')',
        cast(null as varchar)
    from department_totals as other
    inner join department_totals as t6
        on other.disclosure_id = t6.disclosure_id and other.version_id = t6.version_id and t6.table_id = 'T6'
    where other.table_id in ('T7', 'T8')

),

unioned as (

    select * from x_1
    union all
    select * from x_2
    union all
    select * from x_3
    union all
    select * from x_4
    union all
    select * from x_5
    union all
    select * from x_6
    union all
    select * from x_7
    union all
    select * from t6_b

),

final as (

    {{ as_findings('unioned', status_override='status_override') }}

)

select * from final
