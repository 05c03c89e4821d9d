{#
    True for a table the extractor read: it has rows, or it has none and no extraction
    problem was recorded on it (a table published empty). A table with no rows because it
    could not be read confirms no figure and is not "published empty".
    `tables` is the alias of a stg_disclosures__tables relation in the calling query.
#}
{% macro table_was_read(tables) -%}
    (
        {{ tables }}.data_rows > 0
        or not exists (
            select 1 from {{ ref('stg_disclosures__extraction_problems') }} as problems
            where
                problems.disclosure_id = {{ tables }}.disclosure_id
                and problems.version_id = {{ tables }}.version_id
                and problems.table_id = {{ tables }}.table_id
        )
    )
{%- endmacro %}
