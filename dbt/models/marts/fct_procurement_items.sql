-- Grain: one row per procurement line (政府采购) of a current disclosure's T9, 合计 excluded.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

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
        items.source_file,
        items.source_line,
        {{ source_page('items') }} as source_page
    from items
    inner join versions
        on items.disclosure_id = versions.disclosure_id and items.version_id = versions.version_id

)

select * from final
