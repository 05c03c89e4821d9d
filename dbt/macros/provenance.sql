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
