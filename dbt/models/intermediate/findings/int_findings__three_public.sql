-- Grain: one row per evaluation of RULES T4-a on a disclosure version × year block of T4:
-- 合计 = 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费, and 小计 = 购置费 + 运行费.
{{ evaluated_within_versions() }}
with

cells as (

    select * from {{ ref('stg_disclosures__three_public_cells') }}
    where {{ version_to_evaluate() }}

),

years as (

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        budget_year,
        min(source_line) as source_line,
        max(case when item = 'total' then amount_wan_yuan end) as total_amount,
        max(case when item = 'total' then decimals end) as total_decimals,
        max(case when item = 'overseas' then amount_wan_yuan end) as overseas_amount,
        max(case when item = 'overseas' then decimals end) as overseas_decimals,
        max(case when item = 'reception' then amount_wan_yuan end) as reception_amount,
        max(case when item = 'reception' then decimals end) as reception_decimals,
        max(case when item = 'vehicle_subtotal' then amount_wan_yuan end) as subtotal_amount,
        max(case when item = 'vehicle_subtotal' then decimals end) as subtotal_decimals,
        max(case when item = 'vehicle_purchase' then amount_wan_yuan end) as purchase_amount,
        max(case when item = 'vehicle_purchase' then decimals end) as purchase_decimals,
        max(case when item = 'vehicle_operation' then amount_wan_yuan end) as operation_amount,
        max(case when item = 'vehicle_operation' then decimals end) as operation_decimals,
        count(case when item = 'vehicle_subtotal' then 1 end) as has_subtotal_column,
        count(case when item = 'total' then 1 end) as has_total_column
    from cells
    group by disclosure_id, version_id, table_id, source_file, budget_year

),

half_units as (

    select
        *,
        case when overseas_amount is not null then {{ half_unit('overseas_decimals') }} else 0 end as overseas_half,
        case when reception_amount is not null then {{ half_unit('reception_decimals') }} else 0 end as reception_half,
        case when subtotal_amount is not null then {{ half_unit('subtotal_decimals') }} else 0 end as subtotal_half,
        case when purchase_amount is not null then {{ half_unit('purchase_decimals') }} else 0 end as purchase_half,
        case when operation_amount is not null then {{ half_unit('operation_decimals') }} else 0 end as operation_half
    from years

),

total_findings as (

    select
        disclosure_id,
        version_id,
        table_id,
        cast(budget_year as varchar) || ' 合计' as row_ref,
        source_file,
        source_line,
        coalesce(total_amount, 0) as expected,
        coalesce(overseas_amount, 0) + coalesce(reception_amount, 0)
        + case when has_subtotal_column > 0 then coalesce(subtotal_amount, 0)
            else coalesce(purchase_amount, 0) + coalesce(operation_amount, 0)
        end as actual,
        {{ half_unit('total_decimals') }} + overseas_half + reception_half
        + case when has_subtotal_column > 0 then subtotal_half else purchase_half + operation_half end as tolerance,
        cast(budget_year as varchar) || ': 合计 against 因公出国(境)费 + 公务用车购置及运行费 + 公务接待费' as message,
        'T4-a' as rule_id,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from half_units
    -- a table whose 合计 column was not found has no total to hold the items against
    where has_total_column > 0

),

subtotal_findings as (

    select
        disclosure_id,
        version_id,
        table_id,
        cast(budget_year as varchar) || ' 公务用车 小计' as row_ref,
        source_file,
        source_line,
        coalesce(subtotal_amount, 0) as expected,
        coalesce(purchase_amount, 0) + coalesce(operation_amount, 0) as actual,
        subtotal_half + purchase_half + operation_half + case when subtotal_amount is null then 0.005 else 0 end
            as tolerance,
        cast(budget_year as varchar) || ': 公务用车购置及运行费 小计 against 购置费 + 运行费' as message,
        'T4-a' as rule_id,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from half_units
    where has_subtotal_column > 0

),

final as (

    {{ as_findings(['total_findings', 'subtotal_findings']) }}

)

select * from final
