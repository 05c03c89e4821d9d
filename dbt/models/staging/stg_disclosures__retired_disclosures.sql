with source as (

    select * from {{ source('disclosures', 'retired_disclosures') }}

),

renamed as (

    select
        disclosure_id,
        retired_at
    from source

)

select * from renamed
