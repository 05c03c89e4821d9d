-- Grain: one row per amount cell of a subject line (T2/T3/T5/T7/T8) that has a code, with
-- is_leaf: no deeper code of the same table sits under it. Summing leaves (or one level)
-- counts each amount once. Built incrementally by version (macros/incremental_by_version.sql):
-- a line's leaf flag looks at lines of its own version only.
{{ incremental_by_version() }}
with

cells as (

    select
        subject_cells.*,
        loads.extracted_at as version_loaded_at
    from {{ ref('stg_disclosures__subject_cells') }} as subject_cells
    {{ loaded_stamp('subject_cells') }}
    where subject_cells.subject_code is not null and {{ version_not_built('subject_cells') }}

),

-- Codes are 3, 5 or 7 digits (类/款/项; the raw suites hold extraction to that), so the
-- codes with a deeper line under them are the 3- and 5-digit prefixes of the longer codes:
-- an equality join, where a prefix comparison against every line would be quadratic.
parent_codes as (

    select distinct
        disclosure_id,
        version_id,
        table_id,
        left(subject_code, 3) as subject_code
    from cells
    where length(subject_code) > 3
    union
    select distinct
        disclosure_id,
        version_id,
        table_id,
        left(subject_code, 5) as subject_code
    from cells
    where length(subject_code) > 5

),

final as (

    select
        cells.*,
        parent_codes.subject_code is null as is_leaf
    from cells
    left join parent_codes
        on
            cells.disclosure_id = parent_codes.disclosure_id
            and cells.version_id = parent_codes.version_id
            and cells.table_id = parent_codes.table_id
            and cells.subject_code = parent_codes.subject_code

)

select * from final
