-- Grain: one row per figure the narrative states that a table can confirm, on a disclosure
-- version: RULES N-1 (a stated figure equals its table figure) and N-3 (the vehicle count
-- matches T10's indicator).
with

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}

),

figure_sources as (

    select * from {{ ref('narrative_figure_sources') }}

),

-- Tables that can confirm a figure: published and read. A table the extractor could not
-- read (no rows, and a problem recorded on it) confirms nothing: its figures are not zeros.
tables_present as (

    select distinct
        tables.disclosure_id,
        tables.version_id,
        tables.table_id
    from {{ ref('stg_disclosures__tables') }} as tables
    where {{ table_was_read('tables') }}

),

table_figures as (

    select
        *,
        row_number() over (
            partition by disclosure_id, version_id, figure_key, subject_code order by preference, source_line
        ) as figure_rank
    from {{ ref('int_table_figures') }}

),

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}

),

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

-- RULES N-1: every budget-year figure the narrative states equals the table figure it describes
n_1 as (

    select
        figures.disclosure_id,
        figures.version_id,
        'N-1' as rule_id,
        coalesce(table_figures.table_id, figure_sources.table_id) as table_id,
        figures.figure_key || coalesce(' ' || figures.subject_code, '') || ': ' || figures.excerpt as row_ref,
        figures.source_file,
        figures.source_line,
        -- A blank cell of a printed line reads as 0, and so does a line the table leaves out
        -- when the narrative says 0; a line or column it does not print against a figure that
        -- is not 0 (Jiangsu's T2 has no 基本支出 column) confirms nothing. A figure may be
        -- confirmed by another table than the usual one (all funds' 基本支出 by T2 where T2 is
        -- all the spending): the table that states it is the one compared.
        case
            when table_figures.figure_key is not null then coalesce(table_figures.amount_wan_yuan, 0)
            when tables_present.table_id is not null and figures.value = 0 then 0
        end as expected,
        figures.value as actual,
        {{ half_unit('figures.decimals') }} + {{ half_unit('table_figures.decimals') }} as tolerance,
        '万元' as measure_unit,
        case
            when table_figures.figure_key is null and tables_present.table_id is null
                then 'only ' || figure_sources.table_id || ' (' || figure_sources.measure
                    || ') could confirm this figure, and the document does not publish that table'
                    || ' (or it could not be read)'
            when table_figures.figure_key is null and figures.value != 0
                then figure_sources.table_id || ' does not print ' || figure_sources.measure
                    || ': nothing to confirm this figure against'
            else 'narrative figure against ' || coalesce(table_figures.table_id, figure_sources.table_id) || ' '
                || figure_sources.measure
                || coalesce(' (line ' || cast(table_figures.source_line as varchar) || ')', ' (blank, read as 0)')
        end as message,
        case
            when table_figures.figure_key is null and (tables_present.table_id is null or figures.value != 0)
                then 'insufficient_data'
        end as status_override
    from figures
    inner join figure_sources on figures.figure_key = figure_sources.figure_key
    inner join versions
        on figures.disclosure_id = versions.disclosure_id and figures.version_id = versions.version_id
    left join tables_present
        on figures.disclosure_id = tables_present.disclosure_id
            and figures.version_id = tables_present.version_id
            and figure_sources.table_id = tables_present.table_id
    left join table_figures
        on figures.disclosure_id = table_figures.disclosure_id
            and figures.version_id = table_figures.version_id
            and figures.figure_key = table_figures.figure_key
            and coalesce(table_figures.subject_code, '') = coalesce(figures.subject_code, '')
            and table_figures.figure_rank = 1
    where figures.figure_kind = 'level' and figures.measure_unit = '万元' and figures.year = versions.year

),

-- RULES N-3: the vehicle count the narrative states matches T10's 车辆数 indicator
vehicle_indicators as (

    select
        *,
        row_number() over (partition by disclosure_id, version_id order by source_line) as indicator_rank
    from indicators
    where table_id = 'T10' and indicator_name like '%车辆%' and {{ number_or_null('target_value') }} is not null

),

n_3 as (

    select
        figures.disclosure_id,
        figures.version_id,
        'N-3' as rule_id,
        'T10' as table_id,
        'vehicles: ' || figures.excerpt as row_ref,
        figures.source_file,
        figures.source_line,
        cast(vehicle_indicators.target_value as decimal(20, 6)) as expected,
        figures.value as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        'narrative vehicle count against T10 indicator "' || vehicle_indicators.indicator_name || '" (line '
        || cast(vehicle_indicators.source_line as varchar) || ')' as message,
        cast(null as varchar) as status_override
    from figures
    inner join vehicle_indicators
        on figures.disclosure_id = vehicle_indicators.disclosure_id
            and figures.version_id = vehicle_indicators.version_id
            and vehicle_indicators.indicator_rank = 1
    where figures.figure_key = 'vehicles_total'

),

final as (

    {{ as_findings(['n_1', 'n_3']) }}

)

select * from final
