-- Grain: one row per amount cell of a subject line (T2/T3/T5/T7/T8) that has a code, with
-- is_leaf: no deeper code of the same table sits under it. Summing leaves (or one level)
-- counts each amount once.
with

cells as (

    select * from {{ ref('stg_disclosures__subject_cells') }}
    where subject_code is not null

),

final as (

    select
        cells.*,
        not exists (
            select 1 from cells as children
            where
                children.disclosure_id = cells.disclosure_id
                and children.version_id = cells.version_id
                and children.table_id = cells.table_id
                and length(children.subject_code) > length(cells.subject_code)
                and left(children.subject_code, length(cells.subject_code)) = cells.subject_code
        ) as is_leaf
    from cells

)

select * from final
