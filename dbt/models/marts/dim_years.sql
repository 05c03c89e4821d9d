-- Grain: one row per year a disclosure is for or speaks of (its budget year and the prior
-- year its narrative compares with).
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

years as (

    select year from versions
    where year is not null
    union
    select year - 1 from versions
    where year is not null

),

final as (

    select
        year,
        year in (
            select year from versions
            where is_current
        ) as has_disclosure,
        year - 1 as prior_year
    from years

)

select * from final
