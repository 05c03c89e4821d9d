-- Grain: one row per thing the extractor could not read in a current disclosure, with the
-- file and line an officer opens to see it.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

problems as (

    select * from {{ ref('stg_disclosures__extraction_problems') }}

)

select
    problems.disclosure_id,
    problems.version_id,
    versions.unit_id,
    versions.year,
    problems.table_id,
    problems.source_file,
    problems.source_line,
    problems.reason
from problems
inner join versions
    on problems.disclosure_id = versions.disclosure_id and problems.version_id = versions.version_id
