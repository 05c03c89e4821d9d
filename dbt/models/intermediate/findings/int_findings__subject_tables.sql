-- Grain: one row per evaluation of a subject-table rule on a disclosure version:
-- row sums (RULES T2-a, T3-a, T7-a, T8-a) and hierarchy sums (T2-b, T3-b, T7-a, T8-a). Each level is
-- compared with its direct children as stated, so one wrong cell fails where it breaks.
-- Built incrementally by version (macros/incremental_by_version.sql): every sum stays within
-- one version's lines.
{{ incremental_by_version() }}
{# The label of each amount column, by its key. A row's parts are named in the order of their
    keys: put together from one max() per key, which DuckDB's hash aggregate can spill to disk,
    where an ordered string_agg over every cell of a large county held it all in memory. #}
{% set column_labels = {
    'total': '总计',
    'basic': '基本支出',
    'project': '项目支出',
    'reserve': '单位预留机动经费',
    'personnel': '人员经费',
    'public': '日常公用经费',
    'fiscal': '财政拨款收入',
    'general_public': '一般公共预算',
    'gov_fund': '政府性基金预算',
    'state_capital': '国有资本经营预算',
    'special_account': '财政专户管理资金',
    'business': '事业收入',
    'operating': '经营收入',
    'other_income': '其他收入',
    'carryover': '上年结转',
} %}
{% set part_keys = column_labels.keys() | reject('equalto', 'total') | sort %}
with

cells as (

    select subject_cells.* from {{ ref('stg_disclosures__subject_cells') }} as subject_cells
    where subject_cells.table_id in ('T2', 'T3', 'T7', 'T8') and {{ version_not_built('subject_cells') }}

),

labelled as (

    select
        *,
        coalesce(subject_code || ' ', '') || subject_name as line_label,
        case column_key
            {%- for key, label in column_labels | dictsort %}
                when '{{ key }}' then '{{ label }}'
            {%- endfor %}
        end as column_label
    from cells

),

-- RULES T2-a / T3-a / T8-a (rows): 总计 = the sum of the other amount columns
row_sums as (

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        source_line,
        line_label,
        max(case when column_key = 'total' then amount_wan_yuan end) as total_amount,
        max(case when column_key = 'total' then decimals end) as total_decimals,
        {{ sum_of_parts('amount_wan_yuan', "column_key != 'total'") }} as parts_amount,
        {{ parts_envelope('amount_wan_yuan', 'decimals', "column_key != 'total'") }}
            as parts_tolerance,
        count(case when amount_wan_yuan is not null then 1 end) as stated_cells,
        nullif(concat_ws(
            ' + ',
            {%- for key in part_keys %}
                max(case when column_key = '{{ key }}' then '{{ column_labels[key] }}' end){{ ',' if not loop.last }}
            {%- endfor %}
        ), '') as parts_label
    from labelled
    group by disclosure_id, version_id, table_id, source_file, source_line, line_label

),

row_findings as (

    select
        disclosure_id,
        version_id,
        table_id || '-a' as rule_id,
        table_id,
        line_label || ': 总计 = ' || parts_label as row_ref,
        source_file,
        source_line,
        coalesce(total_amount, 0) as expected,
        parts_amount as actual,
        {{ half_unit('total_decimals') }} + parts_tolerance as tolerance,
        line_label || ' 总计 against ' || parts_label as message,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from row_sums
    where stated_cells > 0 and parts_label is not null

),

-- RULES T2-b / T3-b / T8-a (hierarchy): 类 = its 款, 款 = its 项, 合计 = its 类.
-- Codes are 3, 5 or 7 digits, so a line's parent is its code cut by two digits, and the
-- lines without a code (合计) are the parents of the 类: an equality join.
parents as (

    select
        *,
        coalesce(subject_code, '') as own_code
    from labelled
    where subject_code is null or length(subject_code) in (3, 5)

),

children as (

    select
        *,
        case when length(subject_code) = 3 then '' else left(subject_code, length(subject_code) - 2) end
            as parent_code
    from labelled
    where subject_code is not null

),

hierarchy_sums as (

    select
        parents.disclosure_id,
        parents.version_id,
        parents.table_id,
        parents.column_key,
        parents.source_file,
        parents.source_line,
        parents.line_label,
        parents.column_label,
        parents.amount_wan_yuan as parent_amount,
        parents.decimals as parent_decimals,
        {{ sum_of_parts('children.amount_wan_yuan') }} as children_amount,
        {{ parts_envelope('children.amount_wan_yuan', 'children.decimals') }}
            as children_tolerance,
        count(*) as child_count,
        count(children.amount_wan_yuan) as stated_children
    from parents
    inner join children
        on parents.disclosure_id = children.disclosure_id
            and parents.version_id = children.version_id
            and parents.table_id = children.table_id
            and parents.column_key = children.column_key
            and parents.own_code = children.parent_code
    group by
        parents.disclosure_id, parents.version_id, parents.table_id, parents.column_key, parents.source_file,
        parents.source_line, parents.line_label, parents.column_label, parents.amount_wan_yuan, parents.decimals

),

hierarchy_findings as (

    select
        disclosure_id,
        version_id,
        case when table_id in ('T7', 'T8') then table_id || '-a' else table_id || '-b' end as rule_id,
        table_id,
        line_label || ' [' || column_label || ']' as row_ref,
        source_file,
        source_line,
        coalesce(parent_amount, 0) as expected,
        children_amount as actual,
        {{ half_unit('parent_decimals') }} + children_tolerance as tolerance,
        line_label || ' ' || column_label || ' against the sum of its ' || cast(child_count as varchar)
        || ' direct sub-lines' as message,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from hierarchy_sums
    where parent_amount is not null or stated_children > 0

),

final as (

    {{ as_findings(['row_findings', 'hierarchy_findings'], stamped=true) }}

)

select * from final
