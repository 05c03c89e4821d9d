with source as (

    select * from {{ source('disclosures', 'rejected_files') }}

),

renamed as (

    select
        disclosure_id,
        version_id,
        source_files,
        reason as rejection_reason,
        rejected_by,
        rejected_at
    from source

)

select * from renamed
