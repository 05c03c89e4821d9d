-- Grain: one row per wording check on a disclosure version: RULES N-5 (years compared with and
-- promised fit the budget year) and N-6 (no explanation left empty, no template placeholder;
-- one passing row per clean document).
with

paragraphs as (

    select * from {{ ref('stg_disclosures__narrative_paragraphs') }}

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

-- RULES N-5 (comparisons): "比/较 YYYY 年" must name the year before the budget year
compared_years as (

    select distinct
        paragraphs.disclosure_id,
        paragraphs.version_id,
        paragraphs.source_file,
        paragraphs.first_line,
        cast({{ regex_each_first_group('paragraphs.text', "'(?:比|较)\\s*((?:19|20)\\d{2})\\s*年'") }} as integer)
            as compared_year
    from paragraphs
    where paragraphs.topic is distinct from 'glossary'

),

n_5_comparisons as (

    select
        compared_years.disclosure_id,
        compared_years.version_id,
        'N-5' as rule_id,
        'narrative' as table_id,
        'comparison with ' || cast(compared_years.compared_year as varchar) as row_ref,
        compared_years.source_file,
        compared_years.first_line as source_line,
        cast(versions.year - 1 as decimal(20, 6)) as expected,
        cast(compared_years.compared_year as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'year' as measure_unit,
        'a ' || cast(versions.year as varchar) || ' budget compares with ' || cast(versions.year - 1 as varchar)
            as message,
        cast(null as varchar) as status_override
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
        cast({{ regex_each_first_group('goals.goal', "'((?:19|20)\\d{2})\\s*年'") }} as integer) as goal_year
    from goals

),

n_5_goals as (

    select
        goal_years.disclosure_id,
        goal_years.version_id,
        'N-5' as rule_id,
        goal_years.table_id,
        goal_years.goal_owner || ': goal names ' || cast(goal_years.goal_year as varchar) as row_ref,
        goal_years.source_file,
        goal_years.goal_line as source_line,
        cast(versions.year as decimal(20, 6)) as expected,
        cast(goal_years.goal_year as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'year' as measure_unit,
        'the ' || cast(versions.year as varchar) || ' goal refers to ' || cast(goal_years.goal_year as varchar)
        || ': "' || substr(goal_years.goal, 1, 60) || '"' as message,
        -- a goal may look beyond the budget year, never before it
        '≥' as comparison,
        cast(null as varchar) as status_override
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
        {{ regex_contains('text', "'(原因是|原因为|主要原因|主要用于)\\s*[。；;，,]|(原因是|主要用于)\\s*$'") }} as empty_explanation,
        {{ regex_contains('text', "'XX|××|ＸＸ|xx局|某某'") }} as placeholder
    from paragraphs
    where topic is distinct from 'glossary'

),

n_6_defects as (

    select
        disclosure_id,
        version_id,
        'N-6' as rule_id,
        'narrative' as table_id,
        case when empty_explanation then 'explanation left empty' else 'template placeholder' end as row_ref,
        source_file,
        first_line as source_line,
        cast(0 as decimal(20, 6)) as expected,
        cast(1 as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        '"' || substr(text, 1, 60) || '"' as message,
        cast(null as varchar) as status_override
    from paragraph_defects
    where empty_explanation or placeholder

),

n_6_clean as (

    select
        disclosure_id,
        version_id,
        'N-6' as rule_id,
        'narrative' as table_id,
        'all paragraphs' as row_ref,
        min(source_file) as source_file,
        cast(null as integer) as source_line,
        cast(0 as decimal(20, 6)) as expected,
        cast(0 as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        cast(count(*) as varchar) || ' paragraphs read: no empty explanation, no placeholder' as message,
        cast(null as varchar) as status_override
    from paragraph_defects
    group by disclosure_id, version_id
    having count(case when empty_explanation or placeholder then 1 end) = 0

),

final as (

    {{ as_findings(['n_5_comparisons', 'n_5_goals', 'n_6_defects', 'n_6_clean'], one_sided=['n_5_goals']) }}

)

select * from final
