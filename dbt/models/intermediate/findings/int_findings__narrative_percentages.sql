-- Grain: one row per stated percentage on a disclosure version: RULES N-4, a share equals
-- figure ÷ total and a growth equals change ÷ last year's figure, within the precision printed.
{{ evaluated_within_versions() }}
with

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}
    where {{ version_to_evaluate() }}

),

-- RULES N-4: a stated share (占 …%) equals figure ÷ total, a stated growth (增长 …%) equals
-- change ÷ last year's figure, within the precision printed
paragraph_levels as (

    select
        *,
        row_number() over (
            partition by disclosure_id, version_id, paragraph_line, figure_key, subject_code, figure_kind
            order by source_line
        ) as level_rank
    from figures
    where figure_kind in ('level', 'change') and measure_unit = '万元'

),

percentages as (

    select * from figures
    where figure_kind in ('share', 'growth')

),

share_denominators as (

    select
        percentages.disclosure_id,
        percentages.version_id,
        percentages.source_line,
        percentages.figure_key,
        denominators.figure_key as denominator_key,
        denominators.value as denominator,
        row_number() over (
            partition by
                percentages.disclosure_id, percentages.version_id, percentages.source_line,
                percentages.figure_key, percentages.value
            order by case denominators.figure_key
                when 'three_public_total' then 1
                when 'general_public_budget_expenditure' then 2
                when 'total_expenditure' then 3
                else 4
            end
        ) as denominator_rank
    from percentages
    inner join paragraph_levels as denominators
        on percentages.disclosure_id = denominators.disclosure_id
            and percentages.version_id = denominators.version_id
            and percentages.paragraph_line = denominators.paragraph_line
            and denominators.figure_kind = 'level'
            and denominators.level_rank = 1
            and percentages.figure_key != denominators.figure_key
            and (
                (percentages.figure_key like 'three_public_%' and denominators.figure_key = 'three_public_total')
                or (percentages.figure_key not like 'three_public_%' and denominators.figure_key in (
                    'general_public_budget_expenditure', 'total_expenditure', 'total_income'
                ))
            )
    where percentages.figure_kind = 'share'

),

percentage_inputs as (

    select
        percentages.*,
        subjects.value as subject_level,
        changes.value as subject_change,
        share_denominators.denominator,
        share_denominators.denominator_key
    from percentages
    left join paragraph_levels as subjects
        on percentages.disclosure_id = subjects.disclosure_id
            and percentages.version_id = subjects.version_id
            and percentages.paragraph_line = subjects.paragraph_line
            and percentages.figure_key = subjects.figure_key
            and coalesce(subjects.subject_code, '') = coalesce(percentages.subject_code, '')
            and subjects.figure_kind = 'level'
            and subjects.level_rank = 1
    left join paragraph_levels as changes
        on percentages.disclosure_id = changes.disclosure_id
            and percentages.version_id = changes.version_id
            and percentages.paragraph_line = changes.paragraph_line
            and percentages.figure_key = changes.figure_key
            and coalesce(changes.subject_code, '') = coalesce(percentages.subject_code, '')
            and changes.figure_kind = 'change'
            and changes.level_rank = 1
    left join share_denominators
        on percentages.disclosure_id = share_denominators.disclosure_id
            and percentages.version_id = share_denominators.version_id
            and percentages.source_line = share_denominators.source_line
            and percentages.figure_key = share_denominators.figure_key
            and share_denominators.denominator_rank = 1

),

n_4 as (

    select
        disclosure_id,
        version_id,
        'N-4' as rule_id,
        'narrative' as table_id,
        figure_key || coalesce(' ' || subject_code, '') || ' ' || figure_kind || ': ' || excerpt as row_ref,
        source_file,
        source_line,
        cast(round(case
            when figure_kind = 'share' and denominator != 0 then subject_level * 100.0 / denominator
            when figure_kind = 'growth' and subject_level - subject_change != 0
                then subject_change * 100.0 / (subject_level - subject_change)
        end, 6) as decimal(20, 6)) as expected,
        value as actual,
        {{ half_unit('decimals') }} + 0.01 as tolerance,
        '%' as measure_unit,
        case figure_kind
            when 'share'
                then 'stated share against ' || {{ display_number('subject_level') }} || ' ÷ '
                    || coalesce(
                        {{ display_number('denominator') }} || ' (' || denominator_key || ')', '(no total stated)'
                    )
            else 'stated growth against ' || {{ display_number('subject_change') }} || ' ÷ last year''s '
                || {{ display_number('subject_level - subject_change') }}
        end as message,
        cast(null as varchar) as status_override
    from percentage_inputs

),

final as (

    {{ as_findings(['n_4']) }}

)

select * from final
