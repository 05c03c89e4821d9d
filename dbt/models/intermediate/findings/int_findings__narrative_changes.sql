-- Grain: one row per stated change checked on a disclosure version: RULES N-2, a change equals
-- the changes stated as its parts, and a 三公 change equals T4's this year − last year.
with

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}

),

three_public as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

),

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

changes as (

    select * from figures
    where figure_kind = 'change'

),

-- RULES N-2 (parts): a stated change equals the changes stated as its parts in the same
-- paragraph: a total's = 基本支出's + 项目支出's; the 三公 total's = its items'; and a change
-- explained as 一是 … 二是 … = those parts (part_key '=': the same figure, as change_part).
part_rules as (

    select * from {{ ref('narrative_change_parts') }}

),

stated_parts as (

    select
        totals.disclosure_id,
        totals.version_id,
        totals.figure_key,
        totals.source_file,
        totals.source_line,
        totals.excerpt,
        totals.value,
        totals.decimals,
        part_rules.part_label,
        part_rules.min_parts,
        sum(parts.value) as parts_value,
        sum(2 * {{ half_unit('parts.decimals') }}) as parts_tolerance,
        count(distinct parts.figure_key) as part_count,
        string_agg(parts.excerpt, '; ' order by parts.source_line, parts.figure_key) as parts_text
    from changes as totals
    inner join part_rules
        on part_rules.total_key in (totals.figure_key, '*')
    inner join figures as parts
        on
            totals.disclosure_id = parts.disclosure_id
            and totals.version_id = parts.version_id
            and totals.paragraph_line = parts.paragraph_line
            and part_rules.part_kind = parts.figure_kind
            and parts.figure_key = case
                when part_rules.part_key = '=' then totals.figure_key else part_rules.part_key
            end
    group by
        totals.disclosure_id, totals.version_id, totals.figure_key, totals.source_file, totals.source_line,
        totals.excerpt, totals.value, totals.decimals, part_rules.part_label, part_rules.min_parts

),

n_2_parts as (

    select * from stated_parts
    where part_count >= min_parts

),

n_2_parts_findings as (

    select
        disclosure_id,
        version_id,
        'N-2' as rule_id,
        'narrative' as table_id,
        figure_key || ' change = ' || part_label as row_ref,
        source_file,
        source_line,
        value as expected,
        parts_value as actual,
        -- a stated change is the difference of two rounded figures: a unit of its last
        -- decimal, not half of one, separates it from the exact change
        2 * {{ half_unit('decimals') }} + parts_tolerance as tolerance,
        '万元' as measure_unit,
        'stated change "' || excerpt || '" against ' || part_label || ': ' || parts_text as message,
        cast(null as varchar) as status_override
    from n_2_parts

),

-- RULES N-2 (this year − last year): a 三公 change against T4's two year columns
t4_years as (

    select
        three_public.disclosure_id,
        three_public.version_id,
        three_public.item,
        -- Typed, so that a missing amount counted as 0 reads 0.000000 in the message on every engine.
        cast(
            max(case when three_public.budget_year = versions.year then coalesce(three_public.amount_wan_yuan, 0) end)
            as decimal(20, 6)
        ) as this_year,
        cast(
            max(
                case
                    when three_public.budget_year = versions.year - 1 then coalesce(three_public.amount_wan_yuan, 0)
                end
            ) as decimal(20, 6)
        ) as last_year,
        max(three_public.decimals) as decimals,
        min(three_public.source_line) as source_line
    from three_public
    inner join versions
        on three_public.disclosure_id = versions.disclosure_id and three_public.version_id = versions.version_id
    group by three_public.disclosure_id, three_public.version_id, three_public.item

),

n_2_t4_findings as (

    select
        changes.disclosure_id,
        changes.version_id,
        'N-2' as rule_id,
        'T4' as table_id,
        changes.figure_key || ' change = T4 this year − last year' as row_ref,
        changes.source_file,
        changes.source_line,
        t4_years.this_year - t4_years.last_year as expected,
        changes.value as actual,
        2 * {{ half_unit('changes.decimals') }} + 2 * {{ half_unit('t4_years.decimals') }} as tolerance,
        '万元' as measure_unit,
        'stated change "' || changes.excerpt || '" against T4 (line ' || cast(t4_years.source_line as varchar)
        || '): ' || cast(t4_years.this_year as varchar) || ' − ' || cast(t4_years.last_year as varchar) as message,
        cast(null as varchar) as status_override
    from changes
    inner join t4_years
        on changes.disclosure_id = t4_years.disclosure_id
            and changes.version_id = t4_years.version_id
            and changes.figure_key = 'three_public_' || t4_years.item
    where t4_years.this_year is not null and t4_years.last_year is not null

),

final as (

    {{ as_findings(['n_2_parts_findings', 'n_2_t4_findings']) }}

)

select * from final
