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

evaluations as (

    {% for model in within_version_findings %}
        select {{ findings_columns() }} from {{ ref(model) }} as findings
        where {{ version_not_built('findings') }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

-- An evaluation is what it compares: two rows alike in every column are one evaluation met
-- twice (a table a template prints twice, a join that fans out), and are kept once.
distinct_evaluations as (

    select distinct * from evaluations

),

final as (

    select
        {{ derived_finding_columns('distinct_evaluations') }},
        loads.extracted_at as version_loaded_at
    from distinct_evaluations
    {{ loaded_stamp('distinct_evaluations') }}

)

select * from final
