-- Grain: one row per evaluation of a rule that ties T3's economic lines to another table on a
-- disclosure version: RULES X-3 (lines that mirror T2's function lines), X-4 (each 三公
-- line at most its T4 figure) and X-8 (the 人员经费 / 公用经费 split stated elsewhere).
with

subjects as (

    select * from {{ ref('stg_disclosures__subject_cells') }}

),

three_public as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

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

-- RULES X-3: economic lines that mirror function lines agree (basic expenditure)
mirror_pairs as (

    select * from {{ ref('economic_function_mirrors') }}

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
        'X-3' as rule_id,
        'T3' as table_id,
        mirror_pairs.economic_code || ' = ' || mirror_pairs.function_code as row_ref,
        t3.source_file,
        t3.source_line,
        coalesce(t2.amount_wan_yuan, 0) as expected,
        coalesce(t3.amount_wan_yuan, 0) as actual,
        {{ half_unit('t2.decimals') }} + {{ half_unit('t3.decimals') }} as tolerance,
        'T3 ' || mirror_pairs.economic_code || ' (' || mirror_pairs.meaning || ') against T2 '
        || mirror_pairs.function_code || ' 基本支出'
        || case when t2_basic_versions.disclosure_id is null then ' (T2 prints no 基本支出 column)' else '' end as message,
        case when t2_basic_versions.disclosure_id is null then 'insufficient_data' end as status_override,
        '万元' as measure_unit
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

    select * from {{ ref('three_public_economic_lines') }}

),

x_4 as (

    select
        t3.disclosure_id,
        t3.version_id,
        'X-4' as rule_id,
        'T3' as table_id,
        limit_pairs.economic_code || ' ≤ T4 ' || limit_pairs.item_name as row_ref,
        t3.source_file,
        t3.source_line,
        coalesce(t4.amount_wan_yuan, 0) as expected,
        coalesce(t3.amount_wan_yuan, 0) as actual,
        {{ half_unit('t4.decimals') }} + {{ half_unit('t3.decimals') }} as tolerance,
        'T3 ' || limit_pairs.economic_code || ' (basic expenditure) must not exceed T4 ' || limit_pairs.item_name
        || '; the rest of the 三公 figure is in projects' as message,
        '≤' as comparison,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from limit_pairs
    inner join t3_cells as t3
        on limit_pairs.economic_code = t3.subject_code and t3.column_key = 'total'
    inner join versions
        on t3.disclosure_id = versions.disclosure_id and t3.version_id = versions.version_id
    inner join three_public as t4
        on t3.disclosure_id = t4.disclosure_id and t3.version_id = t4.version_id
            and limit_pairs.item = t4.item and versions.year = t4.budget_year

),

-- RULES X-8: the split of 基本支出 into 人员经费 and 公用经费 that a summary table (kind lines)
-- or the narrative states equals T3's 合计 人员经费 and 公用经费
stated_splits as (

    select
        disclosure_id,
        version_id,
        case when row_label like '%人员%' then 'personnel' else 'public' end as part,
        table_id as stated_in,
        source_file,
        source_line,
        amount_wan_yuan,
        decimals
    from {{ ref('stg_disclosures__summary_cells') }}
    where table_id in ('T1', 'T6') and side = 'expenditure' and row_role = 'kind' and column_key = 'total'
        and (row_label like '%人员经费%' or row_label like '%人员支出%' or row_label like '%公用经费%')
    union all
    select
        figures.disclosure_id,
        figures.version_id,
        replace(figures.figure_key, '_expenditure', ''),
        'narrative',
        figures.source_file,
        figures.source_line,
        figures.value,
        figures.decimals
    from {{ ref('stg_disclosures__narrative_figures') }} as figures
    inner join versions
        on figures.disclosure_id = versions.disclosure_id and figures.version_id = versions.version_id
    where figures.figure_key in ('personnel_expenditure', 'public_expenditure')
        and figures.figure_kind = 'level' and figures.year = versions.year and figures.measure_unit = '万元'

),

x_8 as (

    select
        stated.disclosure_id,
        stated.version_id,
        'X-8' as rule_id,
        'T3' as table_id,
        stated.part || ' (' || stated.stated_in || ') = T3 合计' as row_ref,
        stated.source_file,
        stated.source_line,
        t3.amount_wan_yuan as expected,
        stated.amount_wan_yuan as actual,
        {{ half_unit('stated.decimals') }} + {{ half_unit('t3.decimals') }} as tolerance,
        case stated.part when 'personnel' then '人员经费' else '公用经费' end || ' stated in ' || stated.stated_in
        || ' against T3 合计 (line ' || cast(t3.source_line as varchar) || ')' as message,
        cast(null as varchar) as status_override,
        '万元' as measure_unit
    from stated_splits as stated
    inner join t3_cells as t3
        on stated.disclosure_id = t3.disclosure_id and stated.version_id = t3.version_id
            and stated.part = t3.column_key and t3.subject_code is null

),

final as (

    {{ as_findings(['x_3', 'x_4', 'x_8'], one_sided=['x_4']) }}

)

select * from final
