-- Grain: one row per disclosure version × headline figure a table states (figure_key as in
-- the narrative, subject_code for function classes). The budget-year value of each figure
-- as the tables give it, with the line it is on and a preference among tables stating the
-- same figure (1 first); used by N-1 and fct_department_years.
with

summary as (

    select * from {{ ref('stg_disclosures__summary_cells') }}

),

three_public as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

),

procurement as (

    select * from {{ ref('stg_disclosures__procurement_items') }}

),

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

-- Totals from T6 部门收支总表 (all income) are preferred to T1's (财政拨款 only): where a unit
-- has 事业收入 or other income, only T6 equals the narrative's 收入预算 (RULES, variants). The
-- narrative's 财政拨款收入 / 财政拨款支出 are T1's own totals.
summary_totals as (

    select
        summary.disclosure_id,
        summary.version_id,
        totals.figure_key,
        cast(null as varchar) as subject_code,
        summary.amount_wan_yuan,
        summary.decimals,
        summary.table_id,
        summary.source_file,
        summary.source_line,
        case when summary.table_id = totals.preferred_table then 1 else 2 end as preference
    from summary
    inner join {{ ref('summary_total_figures') }} as totals
        on
            summary.side = totals.side
            and summary.column_key = totals.column_key
            and (not totals.only_preferred or summary.table_id = totals.preferred_table)
    where summary.row_role = 'grand_total'

),

income_lines as (

    select
        summary.disclosure_id,
        summary.version_id,
        income_words.figure_key,
        null as subject_code,
        summary.amount_wan_yuan,
        summary.decimals,
        summary.table_id,
        summary.source_file,
        summary.source_line,
        1 as preference
    from summary
    inner join {{ ref('summary_income_figures') }} as income_words
        on summary.table_id = income_words.table_id
    where summary.side = 'income' and summary.row_role = 'source'
        and summary.column_key = 'amount' and summary.row_label like '%' || label_word || '%'

    union all

    select
        disclosure_id,
        version_id,
        'income_carryover',
        null,
        amount_wan_yuan,
        decimals,
        table_id,
        source_file,
        source_line,
        1
    from summary
    where table_id = 'T6' and side = 'income' and row_role = 'carryover_total' and column_key = 'amount'

    union all

    select
        disclosure_id,
        version_id,
        'function_class',
        function_code,
        amount_wan_yuan,
        decimals,
        table_id,
        source_file,
        source_line,
        1
    from summary
    where table_id = 'T1' and side = 'expenditure' and row_role = 'class' and column_key = 'total'
        and function_code is not null

),

-- A 政府性基金 table published empty with a note saying there is none ("本单位2025年无政府性
-- 基金预算财政拨款安排的预算") states a zero (seed stated_none_wordings; headline.py reads the same).
empty_fund_table as (

    select
        tables.disclosure_id,
        tables.version_id,
        'gov_fund_expenditure' as figure_key,
        null as subject_code,
        cast(0 as decimal(20, 6)) as amount_wan_yuan,
        2 as decimals,
        tables.table_id,
        tables.source_file,
        coalesce(tables.note_line, tables.source_line) as source_line,
        1 as preference
    from {{ ref('stg_disclosures__tables') }} as tables
    where
        tables.table_id = 'T5' and tables.data_rows = 0
        and exists (
            select 1 from {{ ref('stated_none_wordings') }} as none_words
            where strpos(coalesce(tables.note, ''), none_words.wording) > 0
        )

),

three_public_figures as (

    select
        three_public.disclosure_id,
        three_public.version_id,
        'three_public_' || three_public.item as figure_key,
        null as subject_code,
        three_public.amount_wan_yuan,
        three_public.decimals,
        three_public.table_id,
        three_public.source_file,
        three_public.source_line,
        1 as preference
    from three_public
    inner join versions
        on three_public.disclosure_id = versions.disclosure_id
            and three_public.version_id = versions.version_id
    where three_public.budget_year = versions.year

),

procurement_figures as (

    select
        disclosure_id,
        version_id,
        'procurement_total' as figure_key,
        null as subject_code,
        amount_wan_yuan,
        decimals,
        table_id,
        source_file,
        source_line,
        1 as preference
    from procurement
    where is_total_row

    union all

    select
        disclosure_id,
        version_id,
        'procurement_' || category,
        null,
        sum(amount_wan_yuan),
        max(decimals),
        min(table_id),
        min(source_file),
        min(source_line),
        1
    from procurement
    where not is_total_row and category is not null
    group by disclosure_id, version_id, category

)

select * from summary_totals
union all
select * from income_lines
union all
select * from {{ ref('int_subject_table_figures') }}
union all
select * from empty_fund_table
union all
select * from three_public_figures
union all
select * from procurement_figures
