with source as (

    select * from {{ source('disclosures', 'narrative_figures') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        figure_key,
        figure_kind,
        subject_code,
        year,
        compare_year,
        compare_year_stated,
        value,
        measure_unit,
        stated_unit,
        decimals,
        source_line,
        paragraph_line,
        excerpt
    from source

)

select * from renamed
