-- Grain: one row per current disclosure × function subject × fund × expenditure kind
-- (basic 基本支出, project 项目支出, reserve 单位预留机动经费), from T2 (一般公共预算), T5
-- (政府性基金预算) and T8 (all funds). Blank cells are left out; a stated 0 is kept.
with

leaf_flags as (

    select * from {{ ref('int_subject_cells_leaves') }}
    where table_id in ('T2', 'T5', 'T8')

),

final as (

    select
        leaf_flags.disclosure_id,
        leaf_flags.version_id,
        versions.unit_id,
        versions.year,
        leaf_flags.table_id,
        leaf_flags.subject_code as function_code,
        leaf_flags.subject_name as function_name,
        case length(leaf_flags.subject_code) when 3 then 1 when 5 then 2 else 3 end as function_level,
        case leaf_flags.table_id when 'T2' then 'general_public' when 'T5' then 'gov_fund' else 'all_funds' end
            as fund_code,
        leaf_flags.column_key as expenditure_kind,
        leaf_flags.is_leaf,
        leaf_flags.amount_wan_yuan,
        {{ provenance_columns('leaf_flags') }}
    from leaf_flags
    {{ join_current_versions('leaf_flags') }}
    where leaf_flags.column_key != 'total' and leaf_flags.amount_wan_yuan is not null

)

select * from final
