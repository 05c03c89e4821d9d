-- Grain: one row per economic classification code, 类 (3 digits) / 款 (5): the national list plus
-- codes seen only in disclosures (built in int_classification_subjects).
with

subjects as (

    select * from {{ ref('int_classification_subjects') }}
    where classification = 'economic'

),

final as (

    select
        code as economic_code,
        name as economic_name,
        level,
        parent_code,
        class_code,
        class_name,
        section_code,
        section_name,
        is_in_reference_list,
        is_verified,
        edition_note
    from subjects

)

select * from final
