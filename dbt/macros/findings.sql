{# The columns every int_findings__* model hands to fct_reconciliation_findings, in order:
   the union contract of the findings. Each model passes how it names the rule, the unit
   of its figures and any status it decides itself (X-4's ≤, X-6's bounds). #}
{% macro as_findings(relation, rule_id="rule_id", measure_unit="'万元'", status_override="cast(null as varchar)") -%}
    select
        disclosure_id,
        version_id,
        {{ rule_id }} as rule_id,
        table_id,
        row_ref,
        source_file,
        source_line,
        cast(expected as decimal(20, 6)) as expected,
        cast(actual as decimal(20, 6)) as actual,
        cast(tolerance as decimal(20, 8)) as tolerance,
        {{ measure_unit }} as measure_unit,
        message,
        {{ status_override }} as status_override
    from {{ relation }}
{%- endmacro %}
