-- Grain: one row per distinct evaluation of a rule that looks at one disclosure version alone
-- (the findings models below read nothing but that version's rows and the project's seeds), on
-- every loaded version, history included; with what the findings mart derives from each row:
-- its deviation, status, finding_id and page. Built incrementally by version
-- (macros/incremental_by_version.sql): a one-change rebuild evaluates one version here, and the
-- mart adds the findings that compare versions or units (fct_reconciliation_findings).
{{ incremental_by_version() }}
{% set within_version_findings = [
    'int_findings__summary_table',
    'int_findings__subject_tables',
    'int_findings__three_public',
    'int_findings__procurement',
    'int_findings__performance',
    'int_findings__cross_totals',
    'int_findings__cross_projects',
    'int_findings__narrative_percentages',
    'int_findings__completeness',
] %}
with

-- An evaluation is what it compares: two rows alike in every column are one evaluation met
-- twice (a table a template prints twice, a join that fans out), and are kept once. Each
-- findings model evaluates rules of its own (the mart's unique finding_id, a hash of every
-- column, would catch two alike from two models), so the rows are made distinct model by
-- model: one distinct over the union held the models' shared subqueries and its hash table in
-- memory at once, which DuckDB cannot spill (out of memory under 1 GB at 10,000 disclosures;
-- model by model it builds within 600 MB).
evaluations as (

    {% for model in within_version_findings %}
        select distinct {{ findings_columns() }} from {{ ref(model) }} as findings
        where {{ version_not_built('findings') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select
        {{ derived_finding_columns('evaluations') }},
        loads.extracted_at as version_loaded_at
    from evaluations
    {{ loaded_stamp('evaluations') }}

)

select * from final
