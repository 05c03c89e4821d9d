{#
  Models built incrementally by disclosure version.

  A version's rows in raw.* do not change once loaded: a corrected file is a new version, and
  the earlier one stays as history. They change only when the same version is loaded again
  (a new extractor re-extracts every file; a quarantined version comes back) or leaves raw.*
  (quarantine, lib/warehouse/loader.py). So a model whose rows for a version follow from that
  version's raw rows and the project's seeds alone computes only the versions it has not yet
  built: after one changed file, one version, where the table model computed the county.

  Such a model
  - is configured with incremental_by_version(), which drops, before the build, the rows it
    built from a load of a version that is no longer the loaded one (or no longer loaded);
  - stamps each row with version_loaded_at, the load it was computed from
    (raw.disclosures.extracted_at): the loaded_stamp() join;
  - filters each of its inputs to the versions it does not hold: version_not_built().

  The rows also follow from the project's code (the model, its macros and seeds): a build by a
  changed dbt project refreshes every incremental model in full (`dbt build --full-refresh`,
  dagster_project/defs/transform/assets.py, from the fingerprint of
  dagster_project/lib/standing_relations.py).
  tests/county/test_incremental_models.py holds an incremental build to a full refresh.
#}

{% macro incremental_by_version() -%}
    {{- config(
        materialized='incremental',
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ drop_versions_loaded_again() }}",
    ) -}}
{%- endmacro %}

{% macro drop_versions_loaded_again() -%}
    {%- if is_incremental() %}
    delete from {{ this }} as built
    where not exists (
        select 1
        from {{ ref('stg_disclosures__disclosures') }} as loads
        where loads.disclosure_id = built.disclosure_id
            and loads.version_id = built.version_id
            and loads.extracted_at = built.version_loaded_at
    )
    {%- endif %}
{%- endmacro %}

{# `inner join` to each row's load, for its version_loaded_at: raw.disclosures holds every
   loaded version (the loader writes it in the same transaction as the version's rows). #}
{% macro loaded_stamp(relation) -%}
    inner join {{ ref('stg_disclosures__disclosures') }} as loads
        on {{ relation }}.disclosure_id = loads.disclosure_id
            and {{ relation }}.version_id = loads.version_id
{%- endmacro %}

{# Whether a row of `relation` is of a version this model does not hold yet: `true` on a full
   build. Every input of the model is filtered by it, or rows of versions already held would be
   added again. After drop_versions_loaded_again, the rows left are from the loads in
   raw.disclosures. The few versions to build are found among the loads (thousands), not row by
   row of the input (a million at 4,000 disclosures): the input is then read through a
   semi-join on a handful of keys, 0.02 s where the row-wise anti-join took 0.2 s. #}
{% macro version_not_built(relation) -%}
    {%- if is_incremental() -%}
        ({{ relation }}.disclosure_id, {{ relation }}.version_id) in {{ versions_not_in(this) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# A findings model that reads one version alone is read by int_findings_within_versions
   only, for the versions it does not hold. It is ephemeral, a part of that model's query, and
   reads only the rows of those versions: each of its inputs is filtered by
   version_to_evaluate(). As a view or a table it computed the whole county on every build
   (7.5 s of a one-change rebuild at 10,000 disclosures) only for the query to keep one
   version of it. #}
{% macro evaluated_within_versions() -%}
    {{- config(materialized='ephemeral') -}}
{%- endmacro %}

{# Whether a row of an input of such a model is of a version int_findings_within_versions
   does not hold: as version_not_built() there, but decided here, from outside that model
   (a ref() to it would be a cycle), by the same test as its is_incremental(): it exists as a
   table and the build is not a full refresh. int_findings_within_versions still filters
   what the model gives it by version_not_built(): the two agree, or the test that holds an
   incremental build to a full refresh fails. #}
{% macro version_to_evaluate() -%}
    {#- Outside the condition, for dbt to see the dependency when it parses the model. -#}
    {%- do ref('stg_disclosures__disclosures') -%}
    {%- set within = none -%}
    {%- if execute -%}
        {%- set node = graph.nodes.values() | selectattr('name', 'equalto', 'int_findings_within_versions') | first -%}
        {%- set within = adapter.get_relation(node.database, node.schema, node.alias or node.name) -%}
    {%- endif -%}
    {%- if within is not none and within.is_table and not should_full_refresh() -%}
        (disclosure_id, version_id) in {{ versions_not_in(within) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{# The loaded versions (disclosure_id, version_id) of which `built` holds no row. #}
{% macro versions_not_in(built) -%}
    (
        select unbuilt.disclosure_id, unbuilt.version_id
        from {{ ref('stg_disclosures__disclosures') }} as unbuilt
        where not exists (
            select 1
            from {{ built }} as built
            where built.disclosure_id = unbuilt.disclosure_id
                and built.version_id = unbuilt.version_id
        )
    )
{%- endmacro %}
