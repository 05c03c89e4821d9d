-- Grain: one row per function classification code -- 类 (3 digits) / 款 (5) / 项 (7): the national code list
-- (seed function_subjects, partial, with provenance) plus every code a disclosure uses that the
-- list lacks, named as the disclosure names it.
with

reference_list as (

    select * from {{ ref('function_subjects') }}

),

used_codes as (

    select
        subject_code as code,
        subject_name as name
    from {{ ref('stg_disclosures__subject_cells') }}
    where classification = 'function' and subject_code is not null
    union

    select
        function_code,
        row_label
    from {{ ref('stg_disclosures__summary_cells') }}
    where function_code is not null

),

unlisted as (

    select
        code,
        min(name) as name,
        case length(code) when 3 then 1 when 5 then 2 when 7 then 3 end as level,
        case when length(code) > 3 then left(code, length(code) - 2) end as parent_code,
        'seen only in disclosures; not in the reference list' as edition_note
    from used_codes
    where code not in (select code from reference_list)
    group by code

),

subjects as (

    select
        code,
        name,
        level,
        parent_code,
        edition_note,
        true as is_in_reference_list
    from reference_list
    union all
    select
        code,
        name,
        level,
        parent_code,
        edition_note,
        false
    from unlisted

),

final as (

    select
        subjects.code as function_code,
        subjects.name as function_name,
        subjects.level,
        subjects.parent_code,
        left(subjects.code, 3) as class_code,
        classes.name as class_name,
        case when length(subjects.code) >= 5 then left(subjects.code, 5) end as section_code,
        sections.name as section_name,
        subjects.is_in_reference_list,
        subjects.is_in_reference_list and subjects.edition_note not like '%UNVERIFIED%' as is_verified,
        subjects.edition_note
    from subjects
    left join subjects as classes on classes.code = left(subjects.code, 3)
    left join subjects as sections on sections.code = left(subjects.code, 5) and length(subjects.code) >= 5

)

select * from final
