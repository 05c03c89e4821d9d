with source as (

    select * from {{ source('disclosures', 'narrative_paragraphs') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        first_line,
        last_line,
        topic,
        text
    from source

)

select * from renamed
