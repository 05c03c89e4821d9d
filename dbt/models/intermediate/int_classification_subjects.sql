-- Grain: one row per classification (function, economic) × code: the national code lists
-- (seeds, partial, with provenance) plus every code a disclosure uses that the lists lack,
-- named as the disclosure names it, with its 类 and 款 resolved.
with

reference_lists as (

    select
        'function' as classification,
        code,
        name,
        level,
        parent_code,
        edition_note
    from {{ ref('function_subjects') }}
    union all
    select
        'economic',
        code,
        name,
        level,
        parent_code,
        edition_note
    from {{ ref('economic_subjects') }}

),

used_codes as (

    select
        classification,
        subject_code as code,
        subject_name as name
    from {{ ref('stg_disclosures__subject_cells') }}
    where subject_code is not null
    union
    select
        'function',
        function_code,
        row_label
    from {{ ref('stg_disclosures__summary_cells') }}
    where function_code is not null

),

unlisted as (

    select
        used_codes.classification,
        used_codes.code,
        min(used_codes.name) as name,
        case length(used_codes.code) when 3 then 1 when 5 then 2 when 7 then 3 end as level,
        case when length(used_codes.code) > 3 then left(used_codes.code, length(used_codes.code) - 2) end
            as parent_code,
        'seen only in disclosures; not in the reference list' as edition_note
    from used_codes
    where not exists (
            select 1 from reference_lists
            where
                reference_lists.classification = used_codes.classification
                and reference_lists.code = used_codes.code
        )
    group by used_codes.classification, used_codes.code

),

subjects as (

    select
        *,
        true as is_in_reference_list
    from reference_lists
    union all
    select
        *,
        false
    from unlisted

),

final as (

    select
        subjects.classification,
        subjects.code,
        subjects.name,
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
    left join subjects as classes
        on subjects.classification = classes.classification and left(subjects.code, 3) = classes.code
    left join subjects as sections
        on
            subjects.classification = sections.classification
            and length(subjects.code) >= 5
            and left(subjects.code, 5) = sections.code

)

select * from final
