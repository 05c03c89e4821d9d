-- Grain: one row per evaluation of a completeness rule on a disclosure version:
-- C-1 (each table the 附表 index lists is present) and C-2 (an empty table says why).
{{ evaluated_within_versions() }}
with

index_entries as (

    select * from {{ ref('stg_disclosures__index_entries') }}
    where {{ version_to_evaluate() }}

),

tables as (

    select * from {{ ref('stg_disclosures__tables') }}
    where {{ version_to_evaluate() }}

),

-- A table with no rows because the extractor could not read it is not published empty: its
-- problem is in fct_extraction_problems, not a finding about the document.
read_tables as (

    select * from tables
    where {{ table_was_read('tables') }}

),

present as (

    select distinct
        disclosure_id,
        version_id,
        table_id
    from tables

),

c_1 as (

    select
        index_entries.disclosure_id,
        index_entries.version_id,
        'C-1' as rule_id,
        coalesce(index_entries.table_id, 'index') as table_id,
        cast(index_entries.listed_number as varchar) || '. ' || index_entries.title as row_ref,
        index_entries.source_file,
        index_entries.source_line,
        cast(1 as decimal(20, 6)) as expected,
        cast(case when present.table_id is not null then 1 else 0 end as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        case
            when index_entries.table_id is null
                then 'the index lists "' || index_entries.title
                    || '", a title this warehouse does not recognise'
            when present.table_id is null then 'listed in the 附表 index but missing: ' || index_entries.title
            else 'listed and present'
        end as message,
        case when index_entries.table_id is null then 'insufficient_data' end as status_override
    from index_entries
    left join present
        on index_entries.disclosure_id = present.disclosure_id
            and index_entries.version_id = present.version_id
            and index_entries.table_id = present.table_id

),

c_2 as (

    select
        disclosure_id,
        version_id,
        'C-2' as rule_id,
        table_id,
        title as row_ref,
        source_file,
        coalesce(note_line, source_line) as source_line,
        cast(1 as decimal(20, 6)) as expected,
        cast(case when note is not null then 1 else 0 end as decimal(20, 6)) as actual,
        cast(0 as decimal(20, 8)) as tolerance,
        'count' as measure_unit,
        coalesce('published empty with the note: ' || note, 'published empty without a note saying why') as message,
        cast(null as varchar) as status_override
    from read_tables
    where data_rows = 0

),

final as (

    {{ as_findings(['c_1', 'c_2']) }}

)

select * from final
