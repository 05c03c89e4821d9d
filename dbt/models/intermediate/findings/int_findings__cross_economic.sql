-- Grain: one row per evaluation of a rule that ties T3's economic lines to another table on a
-- disclosure version: RULES X-3 (lines that mirror T2's function lines) and X-4 (each 三公
-- line at most its T4 figure).
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
        case
            when coalesce(t3.amount_wan_yuan, 0) <= coalesce(t4.amount_wan_yuan, 0) then 'pass'
            when coalesce(t3.amount_wan_yuan, 0) - coalesce(t4.amount_wan_yuan, 0)
                <= {{ half_unit('t4.decimals') }} + {{ half_unit('t3.decimals') }} then 'rounding'
            else 'fail'
        end as status_override,
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

final as (

    {{ as_findings(['x_3', 'x_4']) }}

)

select * from final
