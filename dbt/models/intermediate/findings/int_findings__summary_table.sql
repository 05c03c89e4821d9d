-- Grain: one row per evaluation of a T1 rule (RULES T1-a … T1-d) on a disclosure version, and of
-- the same sums on T6 部门收支总表 (RULES T6-a).
{{ evaluated_within_versions() }}
with

cells as (

    select * from {{ ref('stg_disclosures__summary_cells') }}
    where table_id in ('T1', 'T6') and {{ version_to_evaluate() }}

),

rows_by_role as (

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        side,
        row_role,
        source_line,
        row_label,
        function_code,
        column_key,
        amount_wan_yuan,
        decimals
    from cells

),

grand_income as (

    select * from rows_by_role
    where side = 'income' and row_role = 'grand_total' and column_key = 'amount'

),

grand_expenditure as (

    select * from rows_by_role
    where side = 'expenditure' and row_role = 'grand_total' and column_key = 'total'

),

-- RULES T1-a: 收入总计 = 支出合计
t1_a as (

    select
        grand_income.disclosure_id,
        grand_income.version_id,
        grand_income.table_id,
        case when grand_income.table_id = 'T1' then 'T1-a' else 'T6-a' end as rule_id,
        '收入总计 = 支出合计' as row_ref,
        grand_income.source_file,
        grand_income.source_line,
        grand_income.amount_wan_yuan as expected,
        grand_expenditure.amount_wan_yuan as actual,
        {{ half_unit('grand_income.decimals') }} + {{ half_unit('grand_expenditure.decimals') }} as tolerance,
        '收入总计 ' || coalesce({{ display_number('grand_income.amount_wan_yuan') }}, '(blank)')
        || ' against 支出合计 ' || coalesce({{ display_number('grand_expenditure.amount_wan_yuan') }}, '(blank)')
            as message,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from grand_income
    inner join grand_expenditure
        on grand_income.disclosure_id = grand_expenditure.disclosure_id
            and grand_income.version_id = grand_expenditure.version_id
            and grand_income.table_id = grand_expenditure.table_id

),

-- RULES T1-b: 本年收入 = sum of its sources; 本年支出 = sum of the function-class rows
section_parts as (

    select
        disclosure_id,
        version_id,
        table_id,
        side,
        {{ sum_of_parts('amount_wan_yuan') }} as parts_amount,
        {{ parts_envelope('amount_wan_yuan', 'decimals') }} as parts_tolerance,
        count(*) as part_count,
        -- A class line whose name the extractor could not place (no known class): the
        -- structure is not read with confidence, so the sum says nothing.
        count(case when side = 'expenditure' and function_code is null then 1 end) as unplaced_classes
    from rows_by_role
    where (side = 'income' and row_role = 'source' and column_key = 'amount')
        or (side = 'expenditure' and row_role = 'class' and column_key = 'total')
    group by disclosure_id, version_id, table_id, side

),

t1_b as (

    select
        totals.disclosure_id,
        totals.version_id,
        totals.table_id,
        case when totals.table_id = 'T1' then 'T1-b' else 'T6-a' end as rule_id,
        case when totals.side = 'income' then '本年收入 = sum of sources' else '本年支出 = sum of classes' end as row_ref,
        totals.source_file,
        totals.source_line,
        coalesce(totals.amount_wan_yuan, 0) as expected,
        section_parts.parts_amount as actual,
        {{ half_unit('totals.decimals') }} + section_parts.parts_tolerance as tolerance,
        totals.row_label || ' against the sum of ' || cast(section_parts.part_count as varchar) || ' lines'
        || case
            when section_parts.unplaced_classes > 0
                then '; ' || cast(section_parts.unplaced_classes as varchar)
                    || ' of them name no known function class, so the sum cannot be read with confidence'
            else ''
        end as message,
        '万元' as measure_unit,
        case when section_parts.unplaced_classes > 0 then 'insufficient_data' end as status_override
    from rows_by_role as totals
    inner join section_parts
        on totals.disclosure_id = section_parts.disclosure_id
            and totals.version_id = section_parts.version_id
            and totals.table_id = section_parts.table_id
            and totals.side = section_parts.side
    where totals.row_role = 'current_total' and totals.column_key in ('amount', 'total')

),

-- RULES T1-c: on each expenditure row, 合计 = 一般公共预算 + 政府性基金预算 + 国有资本经营预算
fund_columns as (

    select
        disclosure_id,
        version_id,
        table_id,
        source_file,
        source_line,
        row_label,
        max(case when column_key = 'total' then amount_wan_yuan end) as total_amount,
        max(case when column_key = 'total' then decimals end) as total_decimals,
        {{ sum_of_parts('amount_wan_yuan', "column_key != 'total'") }} as funds_amount,
        {{ parts_envelope('amount_wan_yuan', 'decimals', "column_key != 'total'") }}
            as funds_tolerance,
        count(case when column_key != 'total' and amount_wan_yuan is not null then 1 end) as stated_funds,
        count(case when column_key != 'total' then 1 end) as fund_columns
    from rows_by_role
    where side = 'expenditure'
    group by disclosure_id, version_id, table_id, source_file, source_line, row_label

),

t1_c as (

    select
        disclosure_id,
        version_id,
        table_id,
        case when table_id = 'T1' then 'T1-c' else 'T6-a' end as rule_id,
        row_label || ': 合计 = sum of funds' as row_ref,
        source_file,
        source_line,
        coalesce(total_amount, 0) as expected,
        funds_amount as actual,
        {{ half_unit('total_decimals') }} + funds_tolerance as tolerance,
        row_label || ' 合计 against 一般公共预算 + 政府性基金预算 + 国有资本经营预算' as message,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from fund_columns
    -- a table without fund columns (T6 often has one 预算数 column) has no such row sum
    where fund_columns > 0 and (total_amount is not null or stated_funds > 0)

),

-- RULES T1-d: 收入总计 = 本年收入 + 上年结转; 支出合计 = 本年支出 + 结转下年
carry_parts as (

    select
        disclosure_id,
        version_id,
        table_id,
        side,
        {{ sum_of_parts('amount_wan_yuan') }} as parts_amount,
        {{ parts_envelope('amount_wan_yuan', 'decimals') }} as parts_tolerance
    from rows_by_role
    where column_key in ('amount', 'total')
        and row_role in ('current_total', 'carryover_total', 'carryforward')
    group by disclosure_id, version_id, table_id, side

),

t1_d as (

    select
        grand.disclosure_id,
        grand.version_id,
        grand.table_id,
        case when grand.table_id = 'T1' then 'T1-d' else 'T6-a' end as rule_id,
        case when grand.side = 'income' then '收入总计 = 本年收入 + 上年结转' else '支出合计 = 本年支出 + 结转下年' end as row_ref,
        grand.source_file,
        grand.source_line,
        coalesce(grand.amount_wan_yuan, 0) as expected,
        carry_parts.parts_amount as actual,
        {{ half_unit('grand.decimals') }} + carry_parts.parts_tolerance as tolerance,
        grand.row_label || ' against this year''s total plus carry-over' as message,
        '万元' as measure_unit,
        cast(null as varchar) as status_override
    from rows_by_role as grand
    inner join carry_parts
        on grand.disclosure_id = carry_parts.disclosure_id
            and grand.version_id = carry_parts.version_id
            and grand.table_id = carry_parts.table_id
            and grand.side = carry_parts.side
    where grand.row_role = 'grand_total' and grand.column_key in ('amount', 'total')

),

final as (

    -- T6 部门收支总表 is held to the same sums as T1 (RULES T6-a)
    {{ as_findings(['t1_a', 't1_b', 't1_c', 't1_d']) }}

)

select * from final
