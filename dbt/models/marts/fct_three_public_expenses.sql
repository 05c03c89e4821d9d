-- Grain: one row per current disclosure × year × 三公 item (overseas 因公出国(境), vehicle_purchase
-- 公务用车购置, vehicle_operation 公务用车运行, reception 公务接待), the prior year included.
-- From T4; where a disclosure has no T4, from the narrative (the prior year = this year − change).
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

cells as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

),

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}
    where figure_key in (
            'three_public_overseas', 'three_public_vehicle_purchase', 'three_public_vehicle_operation',
            'three_public_reception'
        )

),

from_table as (

    select
        cells.disclosure_id,
        cells.version_id,
        cells.budget_year as year,
        cells.item,
        coalesce(cells.amount_wan_yuan, 0) as amount_wan_yuan,
        cells.amount_wan_yuan is null as was_blank,
        'T4' as figure_source,
        cells.source_file,
        cells.source_line
    from cells
    where cells.item in ('overseas', 'vehicle_purchase', 'vehicle_operation', 'reception')

),

narrative_levels as (

    select
        figures.*,
        row_number() over (
            partition by figures.disclosure_id, figures.version_id, figures.figure_key order by figures.source_line
        ) as figure_rank
    from figures
    inner join versions
        on figures.disclosure_id = versions.disclosure_id and figures.version_id = versions.version_id
    where figures.figure_kind = 'level' and figures.year = versions.year
        and figures.disclosure_id not in (select disclosure_id from cells)

),

narrative_changes as (

    select
        figures.*,
        row_number() over (
            partition by figures.disclosure_id, figures.version_id, figures.figure_key order by figures.source_line
        ) as figure_rank
    from figures
    where figures.figure_kind = 'change'

),

from_narrative as (

    select
        levels.disclosure_id,
        levels.version_id,
        levels.year,
        replace(levels.figure_key, 'three_public_', '') as item,
        levels.value as amount_wan_yuan,
        false as was_blank,
        'narrative' as figure_source,
        levels.source_file,
        levels.source_line
    from narrative_levels as levels
    where levels.figure_rank = 1

    union all

    select
        levels.disclosure_id,
        levels.version_id,
        changes.compare_year,
        replace(levels.figure_key, 'three_public_', ''),
        levels.value - changes.value,
        false,
        'narrative (this year − stated change)',
        changes.source_file,
        changes.source_line
    from narrative_levels as levels
    inner join narrative_changes as changes
        on levels.disclosure_id = changes.disclosure_id
            and levels.version_id = changes.version_id
            and levels.figure_key = changes.figure_key
            and changes.figure_rank = 1
    where levels.figure_rank = 1

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
        unioned.year,
        unioned.year = versions.year as is_budget_year,
        unioned.item,
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
