-- Grain: one row per current disclosure × economic subject × cost kind (personnel 人员经费,
-- public 日常公用经费), from T3 一般公共预算财政拨款基本支出. Blank cells are left out.
with

leaf_flags as (

    select * from {{ ref('int_subject_cells_leaves') }}
    where classification = 'economic'

),

final as (

    select
        leaf_flags.disclosure_id,
        leaf_flags.version_id,
        versions.unit_id,
        versions.year,
        leaf_flags.table_id,
        leaf_flags.subject_code as economic_code,
        leaf_flags.subject_name as economic_name,
        case length(leaf_flags.subject_code) when 3 then 1 else 2 end as economic_level,
        leaf_flags.column_key as cost_kind,
        leaf_flags.is_leaf,
        leaf_flags.amount_wan_yuan,
        {{ provenance_columns('leaf_flags') }}
    from leaf_flags
    {{ join_current_versions('leaf_flags') }}
    where leaf_flags.column_key in ('personnel', 'public') and leaf_flags.amount_wan_yuan is not null

)

select * from final
