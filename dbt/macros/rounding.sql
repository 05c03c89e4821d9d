{# docs/rules.md, rounding tolerance: a figure printed to d decimals can be off by half a unit of
   its last place. A comparison's tolerance is the sum of those half-units over every figure
   it involves, which for a total and n two-decimal terms is 0.005 × (n + 1). Exact decimals:
   never power(), which returns a float. #}
{% macro half_unit(decimals) -%}
    cast(case coalesce({{ decimals }}, 2)
        when 0 then 0.5 when 1 then 0.05 when 2 then 0.005 when 3 then 0.0005
        when 4 then 0.00005 when 5 then 0.000005 else 0.0000005 end as decimal(20, 8))
{%- endmacro %}

{# How far an evaluation's actual figure misses what its rule asks of it: 0 when it holds. A
   comparison (macros/findings.sql) is = (both ways), ≤ (actual at most expected) or ≥. #}
{% macro deviation(expected, actual, comparison) -%}
    case {{ comparison }}
        when '≤' then greatest({{ actual }} - {{ expected }}, 0)
        when '≥' then greatest({{ expected }} - {{ actual }}, 0)
        else abs({{ actual }} - {{ expected }})
    end
{%- endmacro %}

{# Status of one evaluation (docs/rules.md, Statuses): a missing input is never a pass. The
   expectation suites of expectations/reconciliation.*.json judge the same deviation against
   the same tolerance, and a test keeps the two verdicts equal. #}
{% macro finding_status(deviation, tolerance) -%}
    case
        when {{ deviation }} is null then 'insufficient_data'
        when {{ deviation }} = 0 then 'pass'
        when {{ deviation }} <= {{ tolerance }} then 'rounding'
        else 'fail'
    end
{%- endmacro %}

{# A decimal as a person writes it in a message: 663.950000 → 663.95, 100.000000 → 100. #}
{% macro display_number(value) -%}
    coalesce(
        case when position('.' in cast({{ value }} as varchar)) > 0
            then rtrim(rtrim(cast({{ value }} as varchar), '0'), '.')
            else cast({{ value }} as varchar) end,
        '(none)'
    )
{%- endmacro %}
