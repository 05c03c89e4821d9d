-- Grain: one row per current disclosure: how complete it is (which of the standard tables
-- T1–T11 it publishes) and how consistent (which rule evaluations pass), the figures a
-- public data-quality page shows per department.
with

disclosures as (

    select * from {{ ref('fct_disclosure_versions') }}
    where is_current and not is_retired

),

tables as (

    select
        disclosure_id,
        version_id,
        count(distinct table_id) as tables_published,
        string_agg(distinct table_id, ', ' order by table_id) as tables_list
    from {{ ref('stg_disclosures__tables') }}
    where {{ regex_full_match('table_id', "'T([1-9]|1[01])'") }}
    group by disclosure_id, version_id

),

findings as (

    select
        disclosure_id,
        count(case when status in ('pass', 'rounding', 'fail') then 1 end) as evaluations,
        count(case when status in ('pass', 'rounding') then 1 end) as evaluations_passed,
        count(case when status = 'fail' and severity = 'error' then 1 end) as failing_errors,
        count(case when status = 'fail' and severity = 'warning' then 1 end) as failing_warnings,
        count(case when status = 'insufficient_data' then 1 end) as insufficient_data
    from {{ ref('fct_reconciliation_findings') }}
    group by disclosure_id

),

scored as (

    select
        disclosures.disclosure_id,
        disclosures.unit_id,
        disclosures.unit_name,
        disclosures.year,
        disclosures.problem_count as extraction_problems,
        coalesce(tables.tables_published, 0) as tables_published,
        11 as tables_standard,
        tables.tables_list,
        coalesce(findings.evaluations, 0) as evaluations,
        coalesce(findings.evaluations_passed, 0) as evaluations_passed,
        coalesce(findings.failing_errors, 0) as failing_errors,
        coalesce(findings.failing_warnings, 0) as failing_warnings,
        coalesce(findings.insufficient_data, 0) as insufficient_data
    from disclosures
    left join tables
        on disclosures.disclosure_id = tables.disclosure_id and disclosures.version_id = tables.version_id
    left join findings on disclosures.disclosure_id = findings.disclosure_id

)

select
    *,
    {{ percent('tables_published', 'tables_standard') }} as completeness_pct,
    {{ percent('evaluations_passed', 'evaluations') }} as consistency_pct
from scored
