-- Grain: one row per template-wording defect on a disclosure version: RULES N-6 (a 单位预算 that
-- calls itself 部门预算; the same explanation copied under most subject items) and N-5 (a class
-- named as an earlier edition of the classification named it).
with

paragraphs as (

    select * from {{ ref('stg_disclosures__narrative_paragraphs') }}
    where topic is distinct from 'glossary'

),

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

former_names as (

    select * from {{ ref('former_class_names') }}

),

-- RULES N-6: a 单位预算 whose text calls it 部门预算 ("2026年部门预算情况说明"), the template's word
wrong_kind as (

    select
        paragraphs.disclosure_id,
        paragraphs.version_id,
        'N-6' as rule_id,
        'narrative' as table_id,
        'a 单位预算 calling itself 部门预算' as row_ref,
        paragraphs.source_file,
        paragraphs.first_line as source_line,
        cast(0 as decimal(20, 6)) as expected,
        cast(1 as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        '"' || substr(paragraphs.text, 1, 60) || '"' as message,
        cast(null as varchar) as status_override
    from paragraphs
    inner join versions
        on paragraphs.disclosure_id = versions.disclosure_id and paragraphs.version_id = versions.version_id
    where versions.disclosure_kind = 'unit' and {{ regex_contains('paragraphs.text', "'\\d{4}\\s*年度?\\s*部门预算'") }}

),

-- RULES N-6: the same explanation under three subject items or more, and under at least half of
-- the items that give one ("主要原因是业务量增加" left from the template under every item). Only
-- items that explain a function subject (named by its code or by 类/款/项) count: the summary
-- paragraphs of one document (收支总计, 财政拨款收支, 一般公共预算支出) explain one and the same
-- change, and rightly give it the same reason each time.
subject_items as (

    select
        disclosure_id,
        version_id,
        source_file,
        first_line,
        {{ regex_first_group('text', "'原因(?:是|为)[:：]?\\s*([^。；;，,]{4,40})'") }} as reason
    from paragraphs
    where {{ regex_contains('text', "'[(（]\\s*2\\d{2}(?:\\d{2}){0,2}\\s*[)）]|[（(]类[)）]'") }}

),

explained_items as (

    select
        *,
        count(*) over (partition by disclosure_id, version_id) as items_explained
    from subject_items
    where reason != ''

),

repeated_reasons as (

    select
        disclosure_id,
        version_id,
        'N-6' as rule_id,
        'narrative' as table_id,
        'the same explanation under ' || cast(count(*) as varchar) || ' of '
        || cast(min(items_explained) as varchar) || ' items' as row_ref,
        min(source_file) as source_file,
        min(first_line) as source_line,
        cast(1 as decimal(20, 6)) as expected,
        cast(count(*) as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        '"原因是' || reason || '" repeated verbatim, from line ' || cast(min(first_line) as varchar) as message,
        cast(null as varchar) as status_override
    from explained_items
    group by disclosure_id, version_id, reason
    having count(*) >= 3 and count(*) * 2 >= min(items_explained)

),

-- RULES N-5: 医疗卫生与计划生育支出 for 210 in a budget after 2018
former_class_names as (

    select
        paragraphs.disclosure_id,
        paragraphs.version_id,
        'N-5' as rule_id,
        'narrative' as table_id,
        'class name ' || former_names.former_name as row_ref,
        paragraphs.source_file,
        paragraphs.first_line as source_line,
        -- the budget year at most the last year the former name was in use
        cast(former_names.renamed_in - 1 as decimal(20, 6)) as expected,
        cast(versions.year as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        '≤' as comparison,
        'year' as measure_unit,
        former_names.former_name || ' (' || former_names.function_code || ') is named '
        || former_names.current_name || ' from ' || cast(former_names.renamed_in as varchar) as message,
        cast(null as varchar) as status_override
    from paragraphs
    inner join versions
        on paragraphs.disclosure_id = versions.disclosure_id and paragraphs.version_id = versions.version_id
    inner join former_names
        on strpos(paragraphs.text, former_names.former_name) > 0 and versions.year >= former_names.renamed_in

),

final as (

    {{ as_findings(['wrong_kind', 'repeated_reasons', 'former_class_names'], one_sided=['former_class_names']) }}

)

select * from final
