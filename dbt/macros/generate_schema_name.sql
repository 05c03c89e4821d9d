{# Schemas are named exactly as configured (raw, staging, intermediate, marts, reference):
   BI queries and the dashboard address `marts.fct_…`, not `main_marts.fct_…`. A build served
   on PostgreSQL writes `marts__building` etc. (BUDGETWH_SCHEMA_SUFFIX) and renames them when
   it has passed (lib/warehouse/postgres.py). #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ (custom_schema_name if custom_schema_name is not none else target.schema) ~ env_var('BUDGETWH_SCHEMA_SUFFIX', '') }}
{%- endmacro %}
