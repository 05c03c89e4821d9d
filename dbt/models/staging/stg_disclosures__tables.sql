with source as (

    select * from {{ source('disclosures', 'disclosure_tables') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_file,
        table_id,
        title,
        printed_number,
        measure_unit,
        unit_declared,
        source_line,
        data_rows,
        note,
        note_line
    from source

)

select * from renamed
