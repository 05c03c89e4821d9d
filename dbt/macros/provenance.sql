{#
    The PDF page a row was printed on: the page whose lines include the row's source_line
    (stg_disclosures__source_pages). Null for text, Excel and web-page sources, which have
    no pages. `relation` is the alias of the row's relation in the calling query.
#}
{% macro source_page(relation) -%}
    (
        select pages.page
        from {{ ref('stg_disclosures__source_pages') }} as pages
        where
            pages.disclosure_id = {{ relation }}.disclosure_id
            and pages.version_id = {{ relation }}.version_id
            and pages.source_file = {{ relation }}.source_file
            and {{ relation }}.source_line between pages.first_line and pages.last_line
    )
{%- endmacro %}

{# The tail every fact shares, after its own columns: the file, line and page the row was
   printed on, so that an officer can open the source at that line. #}
{% macro provenance_columns(relation) -%}
    {{ relation }}.source_file,
        {{ relation }}.source_line,
        {{ source_page(relation) }} as source_page
{%- endmacro %}

{# Keep the rows of current disclosure versions; `versions` (int_disclosures_identified) then
   gives each row its unit and year. #}
{% macro join_current_versions(relation) -%}
    inner join {{ ref('int_disclosures_identified') }} as versions
        on {{ relation }}.disclosure_id = versions.disclosure_id
            and {{ relation }}.version_id = versions.version_id
            and versions.is_current
{%- endmacro %}
