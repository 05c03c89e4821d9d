-- Grain: one row per procurement line (政府采购) of a current disclosure's T9, 合计 excluded.
with

items as (

    select * from {{ ref('stg_disclosures__procurement_items') }}
    where not is_total_row

),

final as (

    select
        items.disclosure_id,
        items.version_id,
        versions.unit_id,
        versions.year,
        items.row_order,
        items.item_name,
        items.category,
        items.quantity,
        items.amount_wan_yuan,
        {{ provenance_columns('items') }}
    from items
    {{ join_current_versions('items') }}

)

select * from final
