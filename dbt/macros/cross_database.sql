{# The few SQL functions DuckDB and PostgreSQL spell differently, one macro each, so that
   every model runs unchanged on both targets (profiles.yml: local, postgres). Each keeps
   DuckDB's meaning exactly: the marts of both targets are tested to be identical
   (tests/warehouse/test_postgres.py). Patterns are written in the syntax both engines share
   (\d, \s, (?:…), classes, {m,n}). #}

{# Does text contain a match of pattern (anywhere)? #}
{% macro regex_contains(text, pattern) -%}
    {{ return(adapter.dispatch('regex_contains')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}
{% macro postgres__regex_contains(text, pattern) -%}
    ({{ text }} ~ {{ pattern }})
{%- endmacro %}

{# Does the whole of text match pattern? #}
{% macro regex_full_match(text, pattern) -%}
    {{ return(adapter.dispatch('regex_full_match')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_full_match(text, pattern) -%}
    regexp_full_match({{ text }}, {{ pattern }})
{%- endmacro %}
{% macro postgres__regex_full_match(text, pattern) -%}
    ({{ text }} ~ ('^(?:' || {{ pattern }} || ')$'))
{%- endmacro %}

{# The first capture group of the first match, '' when nothing matches (DuckDB's
   regexp_extract). #}
{% macro regex_first_group(text, pattern) -%}
    {{ return(adapter.dispatch('regex_first_group')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_first_group(text, pattern) -%}
    regexp_extract({{ text }}, {{ pattern }}, 1)
{%- endmacro %}
{% macro postgres__regex_first_group(text, pattern) -%}
    coalesce(substring({{ text }} from {{ pattern }}), '')
{%- endmacro %}

{# One row per match of pattern in text, its first capture group (set-returning: in a
   select list, the row's other columns repeat for each match; no match, no row). #}
{% macro regex_each_first_group(text, pattern) -%}
    {{ return(adapter.dispatch('regex_each_first_group')(text, pattern)) }}
{%- endmacro %}
{% macro default__regex_each_first_group(text, pattern) -%}
    unnest(regexp_extract_all({{ text }}, {{ pattern }}, 1))
{%- endmacro %}
{% macro postgres__regex_each_first_group(text, pattern) -%}
    (regexp_matches({{ text }}, {{ pattern }}, 'g'))[1]
{%- endmacro %}

{# One row per part of text split at a one-character delimiter; '' gives one row ''
   (DuckDB's string_split; PostgreSQL's string_to_array would give none). #}
{% macro split_to_rows(text, delimiter) -%}
    {{ return(adapter.dispatch('split_to_rows')(text, delimiter)) }}
{%- endmacro %}
{% macro default__split_to_rows(text, delimiter) -%}
    unnest(string_split({{ text }}, {{ delimiter }}))
{%- endmacro %}
{% macro postgres__split_to_rows(text, delimiter) -%}
    regexp_split_to_table({{ text }}, '\' || {{ delimiter }})
{%- endmacro %}

{# A written number as DECIMAL(20, 6), NULL when it is not one: plain digits with an
   optional sign and decimals (thousands separators removed first by the caller), at most
   14 digits before the point. The same test on both engines, rather than DuckDB's
   try_cast (which also reads '1e3' and ' 12') against a PostgreSQL cast that raises. #}
{% macro number_or_null(text) -%}
    case when {{ regex_full_match('trim(' ~ text ~ ')', "'[+-]?\\d{1,14}(\\.\\d*)?'") }}
        then cast(trim({{ text }}) as decimal(20, 6))
    end
{%- endmacro %}

{# n as a percentage of d, to one decimal, DECIMAL(4, 1), NULL when d is 0. DuckDB divides
   decimals into a DOUBLE, PostgreSQL into an exact numeric: the quotient is fixed to four
   decimals first (exact for any count a document has), so both round it the same way, half
   away from zero. #}
{% macro percent(numerator, denominator) -%}
    cast(round(cast(100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as decimal(18, 4)), 1) as decimal(4, 1))
{%- endmacro %}
