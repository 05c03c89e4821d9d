-- Grain: one row per disclosure version × figure a subject table states: the 合计 row's
-- headline figures (seed subject_total_figures), 基本支出 and 项目支出 over all funds, and each
-- function subject's T2 line; part of int_table_figures (same columns).
with

subjects as (

    select * from {{ ref('stg_disclosures__subject_cells') }}

),

-- The total expenditure the summary tables state, T6 (all income) before T1.
summary_totals as (

    select
        summary.disclosure_id,
        summary.version_id,
        summary.amount_wan_yuan,
        case when summary.table_id = totals.preferred_table then 1 else 2 end as preference,
        summary.source_line
    from {{ ref('stg_disclosures__summary_cells') }} as summary
    inner join {{ ref('summary_total_figures') }} as totals
        on
            summary.side = totals.side
            and summary.column_key = totals.column_key
            and (not totals.only_preferred or summary.table_id = totals.preferred_table)
    where summary.row_role = 'grand_total' and totals.figure_key = 'total_expenditure'

),

subject_totals as (

    select
        subjects.disclosure_id,
        subjects.version_id,
        totals.figure_key,
        null as subject_code,
        subjects.amount_wan_yuan,
        subjects.decimals,
        subjects.table_id,
        subjects.source_file,
        subjects.source_line,
        1 as preference
    from subjects
    inner join {{ ref('subject_total_figures') }} as totals
        on subjects.table_id = totals.table_id and subjects.column_key = totals.column_key
    where subjects.subject_code is null

),

-- Each function subject's T2 line (类, 款 or 项), for the narrative's item by item figures
-- ("行政运行(2040601)：2026年预算安排1434.89万元").
subject_lines as (

    select
        disclosure_id,
        version_id,
        'function_subject' as figure_key,
        subject_code,
        amount_wan_yuan,
        decimals,
        table_id,
        source_file,
        source_line,
        1 as preference
    from subjects
    where table_id = 'T2' and column_key = 'total' and subject_code is not null

),

-- 基本支出 and 项目支出 over all funds are T8's. Where no T8 states them and T2 is all the
-- spending (its 合计 equals the total expenditure the summary tables state), T2's are.
spending as (

    select
        *,
        row_number() over (partition by disclosure_id, version_id order by preference, source_line) as spending_rank
    from summary_totals
    where amount_wan_yuan is not null

),

all_funds_from_t2 as (

    select
        t2.disclosure_id,
        t2.version_id,
        'all_funds_' || t2.figure_key as figure_key,
        t2.subject_code,
        t2.amount_wan_yuan,
        t2.decimals,
        t2.table_id,
        t2.source_file,
        t2.source_line,
        2 as preference
    from subject_totals as t2
    inner join subject_totals as t2_total
        on t2.disclosure_id = t2_total.disclosure_id
            and t2.version_id = t2_total.version_id
            and t2_total.figure_key = 'general_public_budget_expenditure'
    inner join spending
        on t2.disclosure_id = spending.disclosure_id
            and t2.version_id = spending.version_id
            and spending.spending_rank = 1
    where
        t2.table_id = 'T2'
        and t2.figure_key in ('basic_expenditure', 'project_expenditure')
        and abs(t2_total.amount_wan_yuan - spending.amount_wan_yuan) <= 0.01
        and not exists (
            select 1 from subject_totals as t8
            where
                t8.disclosure_id = t2.disclosure_id
                and t8.version_id = t2.version_id
                and t8.figure_key = 'all_funds_' || t2.figure_key
        )

)

select * from subject_totals
union all
select * from all_funds_from_t2
union all
select * from subject_lines
