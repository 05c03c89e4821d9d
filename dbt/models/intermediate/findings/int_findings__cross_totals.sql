-- Grain: one row per evaluation of a rule that ties the totals of two tables on a disclosure
-- version: RULES X-1 (T2 against T1), X-2 (T3 against T2's 基本支出) and T6-b (T6 total = T7
-- total = T8 total).
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
        cast(null as varchar) as status_override,
        '万元' as measure_unit
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
        'X-2' as rule_id,
        'T3' as table_id,
        '合计 总计 = T2 合计 基本支出' as row_ref,
        t3.source_file,
        t3.source_line,
        t2.amount_wan_yuan as expected,
        t3.amount_wan_yuan as actual,
        {{ half_unit('t2.decimals') }} + {{ half_unit('t3.decimals') }} as tolerance,
        'T3 合计 against T2 合计 基本支出 (line ' || cast(t2.source_line as varchar) || ')' as message,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from t3_cells as t3
    inner join t2_cells as t2
        on t3.disclosure_id = t2.disclosure_id
            and t3.version_id = t2.version_id
            and t2.subject_code is null
            and t2.column_key = 'basic'
    where t3.subject_code is null and t3.column_key = 'total'

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

-- What T6 carries into next year (结转下年, Beijing's 年终结转结余): in its 支出总计, not spent
-- this year, so not in T8's 合计.
carried_forward as (

    select
        disclosure_id,
        version_id,
        sum(amount_wan_yuan) as amount_wan_yuan,
        max(decimals) as decimals
    from summary
    where
        table_id = 'T6' and side = 'expenditure' and row_role = 'carryforward' and column_key = 'total'
        and amount_wan_yuan != 0
    group by disclosure_id, version_id

),

t6_b as (

    select
        other.disclosure_id,
        other.version_id,
        'T6-b' as rule_id,
        other.table_id,
        other.table_id || ' 合计 = T6 收入总计' as row_ref,
        other.source_file,
        other.source_line,
        t6.amount_wan_yuan - coalesce(carried.amount_wan_yuan, 0) as expected,
        other.amount_wan_yuan as actual,
        {{ half_unit('t6.decimals') }} + {{ half_unit('other.decimals') }}
        + coalesce({{ half_unit('carried.decimals') }}, 0) as tolerance,
        other.table_id || ' 合计 against T6 收入总计 (line ' || cast(t6.source_line as varchar) || ')'
        || case when carried.amount_wan_yuan is not null then ' less 结转下年' else '' end as message,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from department_totals as other
    inner join department_totals as t6
        on other.disclosure_id = t6.disclosure_id and other.version_id = t6.version_id and t6.table_id = 'T6'
    left join carried_forward as carried
        on
            other.table_id = 'T8'
            and other.disclosure_id = carried.disclosure_id
            and other.version_id = carried.version_id
    where other.table_id in ('T7', 'T8')

),

final as (

    {{ as_findings(['x_1', 'x_2', 't6_b']) }}

)

select * from final
