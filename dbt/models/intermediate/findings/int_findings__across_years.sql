-- Grain: one row per headline figure a disclosure implies for its prior year (this year −
-- the stated change, or T4's prior-year column) whose prior year has a disclosure of its own
-- for the same unit: RULES N-2 across years, the implied figure against the figure that
-- disclosure published. The finding belongs to the later disclosure, at the line that implies
-- the figure; the message names the earlier one.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

figures as (

    select * from {{ ref('int_department_year_figures') }}

),

unit_figures as (

    select
        figures.*,
        versions.unit_id
    from figures
    inner join versions
        on figures.disclosure_id = versions.disclosure_id and figures.version_id = versions.version_id

),

implied as (

    select * from unit_figures
    where is_prior_year

),

published as (

    select * from unit_figures
    where not is_prior_year

),

n_2_across_years as (

    select
        implied.disclosure_id,
        implied.version_id,
        'N-2' as rule_id,
        case when implied.figure_source = 'T4' then 'T4' else 'narrative' end as table_id,
        -- the earlier disclosure in the key: a unit with two disclosures that year is two evaluations
        implied.measure || ' ' || cast(implied.year as varchar) || ' = ' || published.disclosure_id as row_ref,
        implied.source_file,
        implied.source_line,
        published.amount_wan_yuan as expected,
        implied.amount_wan_yuan as actual,
        -- this year's figure, the stated change (two half-units) and last year's figure
        4 * {{ half_unit(2) }} as tolerance,
        '万元' as measure_unit,
        cast(implied.year as varchar) || ' ' || implied.measure || ' implied by this disclosure ('
        || implied.figure_source || ') against ' || published.disclosure_id || ' (' || published.figure_source
        || coalesce(', line ' || cast(published.source_line as varchar), '') || ')' as message,
        cast(null as varchar) as status_override
    from implied
    inner join published
        on implied.unit_id = published.unit_id
            and implied.year = published.year
            and implied.measure = published.measure
            and implied.disclosure_id != published.disclosure_id

),

final as (

    {{ as_findings(['n_2_across_years']) }}

)

select * from final
