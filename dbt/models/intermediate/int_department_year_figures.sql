-- Grain: one row per current disclosure × year × headline measure. The budget year's value
-- comes from the tables where they state it, else from the narrative; the prior year's value
-- is what the narrative implies (RULES N-2: this year − the stated change), or T4's prior-year
-- column for the 三公 total.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

table_figures as (

    select
        *,
        -- a line that states the figure before a blank one (dagster_project/lib/extract/headline.py)
        row_number() over (
            partition by disclosure_id, version_id, figure_key
            order by amount_wan_yuan is null, preference, source_line
        ) as figure_rank
    from {{ ref('int_table_figures') }}
    where subject_code is null

),

figures as (

    select
        *,
        row_number() over (
            partition by disclosure_id, version_id, figure_key, figure_kind order by source_line
        ) as figure_rank
    from {{ ref('stg_disclosures__narrative_figures') }}
    where subject_code is null and measure_unit = '万元' and figure_kind in ('level', 'change')

),

three_public_prior as (

    select
        disclosure_id,
        version_id,
        budget_year,
        amount_wan_yuan,
        source_file,
        source_line
    from {{ ref('stg_disclosures__three_public_cells') }}
    where item = 'total'

),

-- Which stated figures give each measure, in order of preference.
measure_sources as (

    select * from {{ ref('headline_measure_sources') }}

),

budget_year_candidates as (

    select
        versions.disclosure_id,
        versions.version_id,
        measure_sources.measure,
        measure_sources.figure_key,
        coalesce(table_figures.amount_wan_yuan, figures.value) as amount_wan_yuan,
        case when table_figures.amount_wan_yuan is not null then table_figures.table_id else 'narrative' end
            as figure_source,
        coalesce(table_figures.source_file, figures.source_file) as source_file,
        coalesce(table_figures.source_line, figures.source_line) as source_line,
        row_number() over (
            partition by versions.disclosure_id, versions.version_id, measure_sources.measure
            order by case when table_figures.amount_wan_yuan is not null then 0 else 1 end, measure_sources.preference
        ) as candidate_rank
    from versions
    cross join measure_sources
    left join table_figures
        on versions.disclosure_id = table_figures.disclosure_id
            and versions.version_id = table_figures.version_id
            and measure_sources.figure_key = table_figures.figure_key
            and table_figures.figure_rank = 1
    left join figures
        on versions.disclosure_id = figures.disclosure_id
            and versions.version_id = figures.version_id
            and measure_sources.figure_key = figures.figure_key
            and figures.figure_kind = 'level'
            and versions.year = figures.year
            and figures.figure_rank = 1
    where coalesce(table_figures.amount_wan_yuan, figures.value) is not null

),

budget_year as (

    select
        budget_year_candidates.disclosure_id,
        budget_year_candidates.version_id,
        versions.year,
        false as is_prior_year,
        budget_year_candidates.measure,
        budget_year_candidates.figure_key,
        budget_year_candidates.amount_wan_yuan,
        budget_year_candidates.figure_source,
        budget_year_candidates.source_file,
        budget_year_candidates.source_line
    from budget_year_candidates
    inner join versions
        on budget_year_candidates.disclosure_id = versions.disclosure_id
            and budget_year_candidates.version_id = versions.version_id
    where budget_year_candidates.candidate_rank = 1

),

prior_from_changes as (

    select
        budget_year.disclosure_id,
        budget_year.version_id,
        changes.compare_year as year,
        true as is_prior_year,
        budget_year.measure,
        budget_year.figure_key,
        budget_year.amount_wan_yuan - changes.value as amount_wan_yuan,
        'narrative change' as figure_source,
        changes.source_file,
        changes.source_line
    from budget_year
    inner join figures as changes
        on budget_year.disclosure_id = changes.disclosure_id
            and budget_year.version_id = changes.version_id
            and budget_year.figure_key = changes.figure_key
            and changes.figure_kind = 'change'
            and changes.figure_rank = 1

),

prior_three_public as (

    select
        versions.disclosure_id,
        versions.version_id,
        versions.year - 1 as year,
        true as is_prior_year,
        'three_public_total' as measure,
        'three_public_total' as figure_key,
        coalesce(three_public_prior.amount_wan_yuan, 0) as amount_wan_yuan,
        'T4' as figure_source,
        three_public_prior.source_file,
        three_public_prior.source_line
    from versions
    inner join three_public_prior
        on versions.disclosure_id = three_public_prior.disclosure_id
            and versions.version_id = three_public_prior.version_id
            and three_public_prior.budget_year = versions.year - 1

),

prior_year as (

    select * from prior_three_public
    union all
    select * from prior_from_changes
    where not exists (
            select 1 from prior_three_public
            where prior_three_public.disclosure_id = prior_from_changes.disclosure_id
                and prior_three_public.version_id = prior_from_changes.version_id
                and prior_three_public.measure = prior_from_changes.measure
        )

)

select * from budget_year
union all
select * from prior_year
