with source as (

    select * from {{ source('disclosures', 'disclosures') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_files,
        county_code,
        cast(year as integer) as year,
        unit_name,
        disclosure_kind,
        extractor_version,
        extracted_at,
        problem_count
    from source

)

select * from renamed
