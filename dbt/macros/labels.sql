{# Chinese labels, one dictionary: each mart column's meta.label_zh in _marts__models.yml
   (and each mart's own). They reach every reader from there:
   - as the column and table comments of the marts on both targets (persist_labels, a
     post-hook of every mart): BI tools such as FineBI and Superset show a column's comment
     as its display name;
   - as the column names of the views of schema bi (labelled_view), for tools whose users
     read no English;
   - as the dashboard's headers and its CSV and Excel downloads, which read the comments
     from the warehouse (dashboard/labels.py). #}

{% macro persist_labels() -%}
    {%- if execute -%}
        {%- set kind = 'view' if model.config.materialized == 'view' else 'table' -%}
        {%- set label = model.meta.get('label_zh') or model.config.meta.get('label_zh') -%}
        {%- if label %}
            comment on {{ kind }} {{ this }} is {{ label_literal(label) }};
        {%- endif %}
        {%- for column in model.columns.values() if column.meta.get('label_zh') %}
            comment on column {{ this }}.{{ adapter.quote(column.name) }} is {{ label_literal(column.meta['label_zh']) }};
        {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{% macro label_literal(text) -%}
    '{{ text | replace("'", "''") }}'
{%- endmacro %}

{# A view of the mart with each column named by its Chinese label, in the documented order. #}
{% macro labelled_view(mart) -%}
    {%- set relation = ref(mart) -%}
    {%- if execute -%}
        {%- set nodes = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model')
            | selectattr('name', 'equalto', mart) | list -%}
        select
        {%- for column in nodes[0].columns.values() %}
            {{ adapter.quote(column.name) }} as {{ adapter.quote(column.meta['label_zh']) }}{{ ',' if not loop.last }}
        {%- endfor %}
        from {{ relation }}
    {%- else -%}
        select * from {{ relation }}
    {%- endif -%}
{%- endmacro %}
