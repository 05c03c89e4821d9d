{# The union contract of the findings: every int_findings__* model ends in
       final as ({{ as_findings(['rule_cte_a', 'rule_cte_b', ...]) }})
       select * from final
   where each named relation has these columns, by name: disclosure_id, version_id, rule_id,
   table_id, row_ref, source_file, source_line, expected, actual, tolerance, measure_unit,
   message, status_override (null: the status follows from expected, actual and tolerance;
   set only where a rule cannot be evaluated: insufficient_data, not_applicable).
   Every comparison is actual = expected, unless the relation is named in one_sided: then it
   has a column comparison, '≤' (actual at most expected) or '≥' (actual at least expected),
   e.g. X-4 (a T3 line at most its T4 figure). The mart turns the pair into a deviation,
   which the status and the Great Expectations suites judge against the tolerance.
   A model built incrementally by disclosure version (macros/incremental_by_version.sql)
   passes stamped=true: its rows also carry version_loaded_at. #}
{% macro as_findings(relations, one_sided=[], stamped=false) -%}
    {%- if stamped %}
    select
        unstamped.*,
        loads.extracted_at as version_loaded_at
    from (
    {%- endif %}
    {%- for relation in relations %}
    select
        disclosure_id,
        version_id,
        rule_id,
        table_id,
        row_ref,
        source_file,
        source_line,
        cast(expected as decimal(20, 6)) as expected,
        cast(actual as decimal(20, 6)) as actual,
        cast(tolerance as decimal(20, 8)) as tolerance,
        {% if relation in one_sided %}cast(comparison as varchar){% else %}'='{% endif %} as comparison,
        cast(measure_unit as varchar) as measure_unit,
        message,
        cast(status_override as varchar) as status_override
    from {{ relation }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
    {%- if stamped %}
    ) as unstamped
    {{ loaded_stamp('unstamped') }}
    {%- endif %}
{%- endmacro %}

{# The columns as_findings gives every findings model, in its order: what the findings mart
   reads of a stamped model (without its version_loaded_at), on DuckDB and PostgreSQL alike. #}
{% macro findings_columns() -%}
    disclosure_id, version_id, rule_id, table_id, row_ref, source_file, source_line, expected, actual,
    tolerance, comparison, measure_unit, message, status_override
{%- endmacro %}

{# What the findings mart derives from each evaluation, row by row, after the findings
   columns: its deviation and status (macros/rounding.sql), its finding_id and the page of its
   line. The same in int_findings_within_versions, which derives it once per version, and in the
   mart for the findings that compare versions. #}
{% macro derived_finding_columns(relation) -%}
    -- Unique by construction: the key names everything that tells two evaluations of a rule
    -- apart (table, row, file, line, the pair of figures, the message naming the side).
    md5(
        {{ relation }}.disclosure_id || '|' || {{ relation }}.version_id || '|' || {{ relation }}.rule_id || '|'
        || coalesce({{ relation }}.table_id, '') || '|' || coalesce({{ relation }}.row_ref, '') || '|'
        || coalesce({{ relation }}.source_file, '') || '|'
        || coalesce(cast({{ relation }}.source_line as varchar), '')
        || '|' || coalesce(cast({{ relation }}.expected as varchar), '') || '|'
        || coalesce(cast({{ relation }}.actual as varchar), '') || '|' || coalesce({{ relation }}.message, '')
        || '|' || coalesce({{ relation }}.status_override, '')
    ) as finding_id,
    {{ relation }}.*,
    {{ deviation(relation ~ '.expected', relation ~ '.actual', relation ~ '.comparison') }} as deviation,
    coalesce(
        {{ relation }}.status_override,
        {{ finding_status(deviation(relation ~ '.expected', relation ~ '.actual', relation ~ '.comparison'),
            relation ~ '.tolerance') }}
    ) as status,
    {{ source_page(relation) }} as source_page
{%- endmacro %}

{# RULES, rounding envelope: a total is compared with the sum of its parts, a blank part
   counting as 0 ... #}
{% macro sum_of_parts(amount, condition=none) -%}
    {%- if condition -%}
        sum(case when {{ condition }} then coalesce({{ amount }}, 0) end)
    {%- else -%}
        sum(coalesce({{ amount }}, 0))
    {%- endif -%}
{%- endmacro %}

{# ... within half a unit of the last printed decimal of every part actually stated (a blank
   part adds nothing to the envelope). #}
{% macro parts_envelope(amount, decimals, condition=none) -%}
    sum(case when {% if condition %}{{ condition }} and {% endif %}{{ amount }} is not null
        then {{ half_unit(decimals) }} else 0 end)
{%- endmacro %}
