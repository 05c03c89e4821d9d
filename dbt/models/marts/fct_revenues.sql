-- Grain: one row per current disclosure × income source (收入来源) as published: the sources of
-- this year's income and of the carry-over from T6 部门收支总表 when published (it lists every
-- source), else from T1 (财政拨款 only); plus income sources only the narrative states
-- (事业收入, 经营收入, 其他收入) when no table gives them.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

cells as (

    select * from {{ ref('stg_disclosures__summary_cells') }}
    where side = 'income' and row_role in ('source', 'source_part', 'carryover_source') and column_key = 'amount'
        and (
            table_id = 'T6'
            or (table_id = 'T1' and disclosure_id not in (
                select disclosure_id from {{ ref('stg_disclosures__summary_cells') }}
                where table_id = 'T6'
            ))
        )

),

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}
    where figure_kind = 'level'
        and figure_key in ('income_business', 'income_operating', 'income_other', 'income_carryover')
        and disclosure_id not in (
            select disclosure_id from {{ ref('stg_disclosures__summary_cells') }}
            where table_id = 'T6'
        )

),

from_table as (

    select
        cells.disclosure_id,
        cells.version_id,
        cells.row_label as revenue_source,
        case
            when cells.row_label like '%一般公共预算%' then 'general_public'
            when cells.row_label like '%政府性基金%' then 'gov_fund'
            when cells.row_label like '%国有资本%' then 'state_capital'
            when cells.row_label like '%财政专户%' then 'special_account'
        end as fund_code,
        cells.row_role = 'carryover_source' as is_carryover,
        cells.row_role = 'source_part' as is_part_of_source,
        coalesce(cells.amount_wan_yuan, 0) as amount_wan_yuan,
        cells.amount_wan_yuan is null as was_blank,
        cells.table_id as figure_source,
        cells.source_file,
        cells.source_line
    from cells

),

from_narrative as (

    select
        figures.disclosure_id,
        figures.version_id,
        case figures.figure_key
            when 'income_business' then '事业收入'
            when 'income_operating' then '经营收入'
            when 'income_other' then '其他收入'
            else '上年结转'
        end,
        cast(null as varchar),
        figures.figure_key = 'income_carryover',
        false,
        figures.value,
        false,
        'narrative',
        figures.source_file,
        figures.source_line
    from figures

),

unioned as (

    select * from from_table
    union all
    select * from from_narrative

),

final as (

    select
        unioned.disclosure_id,
        unioned.version_id,
        versions.unit_id,
        versions.year,
        unioned.revenue_source,
        unioned.fund_code,
        unioned.is_carryover,
        unioned.is_part_of_source,
        unioned.amount_wan_yuan,
        unioned.was_blank,
        unioned.figure_source,
        unioned.source_file,
        unioned.source_line,
        {{ source_page('unioned') }} as source_page
    from unioned
    inner join versions
        on unioned.disclosure_id = versions.disclosure_id and unioned.version_id = versions.version_id

)

select * from final
