-- Grain: one row per rule evaluation on the current version of each disclosure. Every rule
-- of the catalogue (seed reconciliation_rules) appears for every disclosure: a rule that
-- nothing evaluated ends insufficient_data (an input it needs is missing) or not_applicable,
-- never a silent pass.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}
    where is_current

),

rules as (

    select * from {{ ref('reconciliation_rules') }}

),

tables_present as (

    select distinct
        disclosure_id,
        version_id,
        table_id
    from {{ ref('stg_disclosures__tables') }}

),

tables_listed as (

    select distinct
        disclosure_id,
        version_id,
        table_id
    from {{ ref('stg_disclosures__index_entries') }}
    where table_id is not null

),

-- Evaluations of one version alone, derived once per version (int_findings_within_versions),
-- in the columns and order of evaluated_across_versions below; history included, as the
-- final join keeps the current versions' rows.
within_versions as (

    select
        finding_id,
        {{ findings_columns() }},
        deviation,
        status,
        source_page
    from {{ ref('int_findings_within_versions') }}

),

-- Evaluations that compare a version with other versions or units: evaluated on every build.
across_versions as (

    select * from {{ ref('int_findings__cross_economic') }}
    union all
    select * from {{ ref('int_findings__narrative_figures') }}
    union all
    select * from {{ ref('int_findings__narrative_changes') }}
    union all
    select * from {{ ref('int_findings__narrative_wording') }}
    union all
    select * from {{ ref('int_findings__narrative_template') }}
    union all
    select * from {{ ref('int_findings__across_years') }}

),

current_evaluations as (

    select across_versions.*
    from across_versions
    inner join versions
        on across_versions.disclosure_id = versions.disclosure_id
            and across_versions.version_id = versions.version_id

),

evaluated_rules as (

    select
        disclosure_id,
        version_id,
        rule_id
    from within_versions
    union
    select
        disclosure_id,
        version_id,
        rule_id
    from current_evaluations

),

unevaluated as (

    select
        versions.disclosure_id,
        versions.version_id,
        versions.source_files,
        rules.rule_id,
        rules.required_tables
    from versions
    cross join rules
    where not exists (
            select 1 from evaluated_rules
            where evaluated_rules.disclosure_id = versions.disclosure_id
                and evaluated_rules.version_id = versions.version_id
                and evaluated_rules.rule_id = rules.rule_id
        )

),

required_tables as (

    select
        unevaluated.*,
        {{ split_to_rows("coalesce(unevaluated.required_tables, '')", "';'") }} as required_table
    from unevaluated

),

missing_inputs as (

    select
        required_tables.disclosure_id,
        required_tables.version_id,
        required_tables.source_files,
        required_tables.rule_id,
        min(nullif(required_tables.required_table, '')) as first_table,
        string_agg(
            case when required_tables.required_table != '' and tables_present.table_id is null
                    and tables_listed.table_id is not null then required_tables.required_table
            end, ', ' order by length(required_tables.required_table), required_tables.required_table
        ) as listed_missing,
        string_agg(
            case when required_tables.required_table != '' and tables_present.table_id is null
                    and tables_listed.table_id is null then required_tables.required_table
            end, ', ' order by length(required_tables.required_table), required_tables.required_table
        ) as unlisted_missing
    from required_tables
    left join tables_present
        on required_tables.disclosure_id = tables_present.disclosure_id
            and required_tables.version_id = tables_present.version_id
            and required_tables.required_table = tables_present.table_id
    left join tables_listed
        on required_tables.disclosure_id = tables_listed.disclosure_id
            and required_tables.version_id = tables_listed.version_id
            and required_tables.required_table = tables_listed.table_id
    group by
        required_tables.disclosure_id, required_tables.version_id, required_tables.source_files, required_tables.rule_id

),

coverage_findings as (

    select
        disclosure_id,
        version_id,
        rule_id,
        coalesce(first_table, 'document') as table_id,
        'whole document' as row_ref,
        source_files as source_file,
        cast(null as integer) as source_line,
        cast(null as decimal(20, 6)) as expected,
        cast(null as decimal(20, 6)) as actual,
        cast(null as decimal(20, 8)) as tolerance,
        '=' as comparison,
        cast(null as varchar) as measure_unit,
        case
            when listed_missing is not null
                then 'needs ' || listed_missing || ', which the 附表 index lists but the document does not publish'
            when unlisted_missing is not null
                then 'the document has no ' || unlisted_missing || ' and does not list it: the rule does not apply'
            else 'nothing in this document to which the rule applies'
        end as message,
        case when listed_missing is not null then 'insufficient_data' else 'not_applicable' end as status_override
    from missing_inputs

),

-- An evaluation is what it compares: two rows alike in every column are one evaluation met
-- twice (a table a template prints twice, a join that fans out), and are kept once (as
-- int_findings_within_versions keeps its own; no rule is evaluated in both).
evaluated_across_versions as (

    select {{ derived_finding_columns('evaluated') }}
    from (
        select distinct * from (
            select * from current_evaluations
            union all
            select * from coverage_findings
        ) as unioned
    ) as evaluated

),

all_findings as (

    select * from within_versions
    union all
    select * from evaluated_across_versions

),

final as (

    select
        all_findings.finding_id,
        all_findings.disclosure_id,
        all_findings.version_id,
        versions.unit_id,
        versions.year,
        all_findings.rule_id,
        rules.severity,
        all_findings.status,
        all_findings.table_id,
        all_findings.row_ref,
        all_findings.source_file,
        all_findings.source_line,
        all_findings.source_page,
        all_findings.expected,
        all_findings.actual,
        all_findings.expected - all_findings.actual as difference,
        all_findings.comparison,
        all_findings.deviation,
        all_findings.tolerance,
        all_findings.measure_unit,
        all_findings.message,
        rules.rule_group,
        rules.description as rule_description
    from all_findings
    inner join rules on all_findings.rule_id = rules.rule_id
    inner join versions
        on all_findings.disclosure_id = versions.disclosure_id
            and all_findings.version_id = versions.version_id

)

select * from final
