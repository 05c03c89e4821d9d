-- Grain: one row per evaluation of a narrative rule on a disclosure version:
-- N-1 (a stated figure equals its table figure), N-2 (changes consistent, parts add up),
-- N-3 (counts match), N-4 (percentages match their figures), N-5 (year references fit the
-- budget year), N-6 (no empty explanation or surviving placeholder).
with

figures as (

    select * from {{ ref('stg_disclosures__narrative_figures') }}

),

paragraphs as (

    select * from {{ ref('stg_disclosures__narrative_paragraphs') }}

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

three_public as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}

),

indicators as (

    select * from {{ ref('stg_disclosures__performance_indicators') }}

),

projects as (

    select * from {{ ref('stg_disclosures__projects') }}

),

targets as (

    select * from {{ ref('stg_disclosures__performance_targets') }}

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
        figure_sources.table_id,
        figures.figure_key || coalesce(' ' || figures.subject_code, '') || ': ' || figures.excerpt as row_ref,
        figures.source_file,
        figures.source_line,
        -- A blank cell of a printed line reads as 0, and so does a line the table leaves out
        -- when the narrative says 0; a line or column it does not print against a figure that
        -- is not 0 (Jiangsu's T2 has no 基本支出 column) confirms nothing.
        case
            when tables_present.table_id is not null and (table_figures.figure_key is not null or figures.value = 0)
                then coalesce(table_figures.amount_wan_yuan, 0)
        end as expected,
        figures.value as actual,
        {{ half_unit('figures.decimals') }} + {{ half_unit('table_figures.decimals') }} as tolerance,
        '万元' as measure_unit,
        case
            when tables_present.table_id is null
                then 'only ' || figure_sources.table_id || ' (' || figure_sources.measure
                    || ') could confirm this figure, and the document does not publish that table'
                    || ' (or it could not be read)'
            when table_figures.figure_key is null and figures.value != 0
                then figure_sources.table_id || ' does not print ' || figure_sources.measure
                    || ': nothing to confirm this figure against'
            else 'narrative figure against ' || figure_sources.table_id || ' ' || figure_sources.measure
                || coalesce(' (line ' || cast(table_figures.source_line as varchar) || ')', ' (blank, read as 0)')
        end as message,
        case
            when tables_present.table_id is null then 'insufficient_data'
            when table_figures.figure_key is null and figures.value != 0 then 'insufficient_data'
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

changes as (

    select * from figures
    where figure_kind = 'change'

),

-- RULES N-2 (parts): a stated change equals the changes stated as its parts in the same
-- paragraph: a total's = 基本支出's + 项目支出's; the 三公 total's = its items'; and a change
-- explained as 一是 … 二是 … = those parts (part_key '=': the same figure, as change_part).
part_rules as (

    select * from (
        values
        ('total_income', 'basic_expenditure', 'change', 'basic + project', 2),
        ('total_income', 'project_expenditure', 'change', 'basic + project', 2),
        ('total_expenditure', 'basic_expenditure', 'change', 'basic + project', 2),
        ('total_expenditure', 'project_expenditure', 'change', 'basic + project', 2),
        ('general_public_budget_expenditure', 'basic_expenditure', 'change', 'basic + project', 2),
        ('general_public_budget_expenditure', 'project_expenditure', 'change', 'basic + project', 2),
        ('three_public_total', 'three_public_overseas', 'change', 'the 三公 items', 3),
        ('three_public_total', 'three_public_reception', 'change', 'the 三公 items', 3),
        ('three_public_total', 'three_public_vehicle_operation', 'change', 'the 三公 items', 3),
        ('three_public_total', 'three_public_vehicle_purchase', 'change', 'the 三公 items', 3),
        ('*', '=', 'change_part', 'its stated parts', 1)
    -- the alias names the VALUES columns; sqlfluff's AL05 fix would drop them
    ) as rules (total_key, part_key, part_kind, part_label, min_parts)  -- noqa: AL05

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
        string_agg(parts.excerpt, '; ' order by parts.source_line) as parts_text
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
        max(case when three_public.budget_year = versions.year then coalesce(three_public.amount_wan_yuan, 0) end)
            as this_year,
        max(case when three_public.budget_year = versions.year - 1 then coalesce(three_public.amount_wan_yuan, 0) end)
            as last_year,
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
        'N-2',
        'T4',
        changes.figure_key || ' change = T4 this year − last year',
        changes.source_file,
        changes.source_line,
        t4_years.this_year - t4_years.last_year,
        changes.value,
        2 * {{ half_unit('changes.decimals') }} + 2 * {{ half_unit('t4_years.decimals') }},
        '万元',
        'stated change "' || changes.excerpt || '" against T4 (line ' || cast(t4_years.source_line as varchar)
        || '): ' || cast(t4_years.this_year as varchar) || ' − ' || cast(t4_years.last_year as varchar),
        cast(null as varchar)
    from changes
    inner join t4_years
        on changes.disclosure_id = t4_years.disclosure_id
            and changes.version_id = t4_years.version_id
            and changes.figure_key = 'three_public_' || t4_years.item
    where t4_years.this_year is not null and t4_years.last_year is not null

),

-- RULES N-3: the vehicle count the narrative states matches T10's 车辆数 indicator
vehicle_indicators as (

    select
        *,
        row_number() over (partition by disclosure_id, version_id order by source_line) as indicator_rank
    from indicators
    where table_id = 'T10' and indicator_name like '%车辆%' and try_cast(target_value as decimal(20, 6)) is not null

),

n_3 as (

    select
        figures.disclosure_id,
        figures.version_id,
        'N-3',
        'T10',
        'vehicles: ' || figures.excerpt,
        figures.source_file,
        figures.source_line,
        cast(vehicle_indicators.target_value as decimal(20, 6)),
        figures.value,
        cast(0 as decimal(20, 8)),
        'count',
        'narrative vehicle count against T10 indicator "' || vehicle_indicators.indicator_name || '" (line '
        || cast(vehicle_indicators.source_line as varchar) || ')',
        cast(null as varchar)
    from figures
    inner join vehicle_indicators
        on figures.disclosure_id = vehicle_indicators.disclosure_id
            and figures.version_id = vehicle_indicators.version_id
            and vehicle_indicators.indicator_rank = 1
    where figures.figure_key = 'vehicles_total'

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
        'N-4',
        'narrative',
        figure_key || ' ' || figure_kind || ': ' || excerpt,
        source_file,
        source_line,
        cast(round(case
            when figure_kind = 'share' and denominator != 0 then subject_level * 100.0 / denominator
            when figure_kind = 'growth' and subject_level - subject_change != 0
                then subject_change * 100.0 / (subject_level - subject_change)
        end, 6) as decimal(20, 6)),
        value,
        {{ half_unit('decimals') }} + 0.01,
        '%',
        case figure_kind
            when 'share'
                then 'stated share against ' || {{ display_number('subject_level') }} || ' ÷ '
                    || coalesce(
                        {{ display_number('denominator') }} || ' (' || denominator_key || ')', '(no total stated)'
                    )
            else 'stated growth against ' || {{ display_number('subject_change') }} || ' ÷ last year''s '
                || {{ display_number('subject_level - subject_change') }}
        end,
        cast(null as varchar)
    from percentage_inputs

),

-- RULES N-5 (comparisons): "比/较 YYYY 年" must name the year before the budget year
compared_years as (

    select distinct
        paragraphs.disclosure_id,
        paragraphs.version_id,
        paragraphs.source_file,
        paragraphs.first_line,
        cast(unnest(regexp_extract_all(paragraphs.text, '(?:比|较)\s*((?:19|20)\d{2})\s*年', 1)) as integer)
            as compared_year
    from paragraphs
    where paragraphs.topic is distinct from 'glossary'

),

n_5_comparisons as (

    select
        compared_years.disclosure_id,
        compared_years.version_id,
        'N-5',
        'narrative',
        'comparison with ' || cast(compared_years.compared_year as varchar),
        compared_years.source_file,
        compared_years.first_line,
        cast(versions.year - 1 as decimal(20, 6)),
        cast(compared_years.compared_year as decimal(20, 6)),
        cast(0 as decimal(20, 8)),
        'year',
        'a ' || cast(versions.year as varchar) || ' budget compares with ' || cast(versions.year - 1 as varchar),
        cast(null as varchar)
    from compared_years
    inner join versions
        on compared_years.disclosure_id = versions.disclosure_id and compared_years.version_id = versions.version_id

),

-- RULES N-5 (goals): a budget year's goals must not promise an earlier year's targets
goals as (

    select
        disclosure_id,
        version_id,
        source_file,
        coalesce(goal_line, source_line) as goal_line,
        'T11' as table_id,
        coalesce(project_code || ' ', '') || project_name as goal_owner,
        goal
    from projects
    where goal is not null

    union all

    select
        disclosure_id,
        version_id,
        source_file,
        source_line,
        'T10',
        '整体绩效目标',
        goal
    from targets
    where goal is not null

),

goal_years as (

    select distinct
        goals.*,
        cast(unnest(regexp_extract_all(goals.goal, '((?:19|20)\d{2})\s*年', 1)) as integer) as goal_year
    from goals

),

n_5_goals as (

    select
        goal_years.disclosure_id,
        goal_years.version_id,
        'N-5',
        goal_years.table_id,
        goal_years.goal_owner || ': goal names ' || cast(goal_years.goal_year as varchar),
        goal_years.source_file,
        goal_years.goal_line,
        cast(versions.year as decimal(20, 6)),
        cast(goal_years.goal_year as decimal(20, 6)),
        cast(0 as decimal(20, 8)),
        'year',
        'the ' || cast(versions.year as varchar) || ' goal refers to ' || cast(goal_years.goal_year as varchar)
        || ': "' || substr(goal_years.goal, 1, 60) || '"',
        case when goal_years.goal_year >= versions.year then 'pass' else 'fail' end
    from goal_years
    inner join versions
        on goal_years.disclosure_id = versions.disclosure_id and goal_years.version_id = versions.version_id

),

-- RULES N-6: no explanation left empty or cut off, no template placeholder
paragraph_defects as (

    select
        disclosure_id,
        version_id,
        source_file,
        first_line,
        text,
        regexp_matches(text, '(原因是|原因为|主要原因|主要用于)\s*[。；;，,]|(原因是|主要用于)\s*$') as empty_explanation,
        regexp_matches(text, 'XX|××|ＸＸ|xx局|某某') as placeholder
    from paragraphs
    where topic is distinct from 'glossary'

),

n_6_defects as (

    select
        disclosure_id,
        version_id,
        'N-6',
        'narrative',
        case when empty_explanation then 'explanation left empty' else 'template placeholder' end,
        source_file,
        first_line,
        cast(0 as decimal(20, 6)),
        cast(1 as decimal(20, 6)),
        cast(0 as decimal(20, 8)),
        'count',
        '"' || substr(text, 1, 60) || '"',
        cast(null as varchar)
    from paragraph_defects
    where empty_explanation or placeholder

),

n_6_clean as (

    select
        disclosure_id,
        version_id,
        'N-6',
        'narrative',
        'all paragraphs',
        min(source_file),
        cast(null as integer),
        cast(0 as decimal(20, 6)),
        cast(0 as decimal(20, 6)),
        cast(0 as decimal(20, 8)),
        'count',
        cast(count(*) as varchar) || ' paragraphs read: no empty explanation, no placeholder',
        cast(null as varchar)
    from paragraph_defects
    group by disclosure_id, version_id
    having count(case when empty_explanation or placeholder then 1 end) = 0

)

select * from n_1
union all
select * from n_2_parts_findings
union all
select * from n_2_t4_findings
union all
select * from n_3
union all
select * from n_4
union all
select * from n_5_comparisons
union all
select * from n_5_goals
union all
select * from n_6_defects
union all
select * from n_6_clean
