-- Grain: one row per disclosure version with a T9 合计 line: RULES T9-a, the item amounts
-- add up to the stated total.
{{ evaluated_within_versions() }}
with

items as (

    select * from {{ ref('stg_disclosures__procurement_items') }}
    where {{ version_to_evaluate() }}

),

totals as (

    select * from items
    where is_total_row

),

sums as (

    select
        disclosure_id,
        version_id,
        {{ sum_of_parts('amount_wan_yuan') }} as items_amount,
        {{ parts_envelope('amount_wan_yuan', 'decimals') }} as items_tolerance,
        count(*) as item_count
    from items
    where not is_total_row
    group by disclosure_id, version_id

),

-- RULES T9-a: the item amounts add up to the stated 合计
t9_a as (

    select
        totals.disclosure_id,
        totals.version_id,
        'T9-a' as rule_id,
        totals.table_id,
        '合计 = sum of items' as row_ref,
        totals.source_file,
        totals.source_line,
        cast(coalesce(totals.amount_wan_yuan, 0) as decimal(20, 6)) as expected,
        cast(coalesce(sums.items_amount, 0) as decimal(20, 6)) as actual,
        cast({{ half_unit('totals.decimals') }} + coalesce(sums.items_tolerance, 0) as decimal(20, 8)) as tolerance,
        '万元' as measure_unit,
        '政府采购 合计 against the sum of ' || cast(coalesce(sums.item_count, 0) as varchar) || ' items' as message,
        cast(null as varchar) as status_override
    from totals
    left join sums
        on totals.disclosure_id = sums.disclosure_id
            and totals.version_id = sums.version_id

),

final as (

    {{ as_findings(['t9_a']) }}

)

select * from final
