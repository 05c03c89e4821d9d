-- Grain: one row per disclosure version ever loaded: the history. A revised disclosure
-- supersedes the earlier version of the same unit and year, which stays here; a disclosure
-- whose file left raw/ is retired. Only current versions feed the other marts.
with

versions as (

    select * from {{ ref('int_disclosures_identified') }}

),

current_versions as (

    select * from versions
    where is_current

),

final as (

    select
        versions.disclosure_id,
        versions.version_id,
        versions.unit_id,
        versions.unit_name,
        versions.year,
        versions.disclosure_kind,
        versions.source_files,
        versions.extracted_at,
        versions.problem_count,
        versions.is_current,
        versions.is_retired,
        versions.retired_at,
        case when not versions.is_current and not versions.is_retired
                then current_versions.disclosure_id || '@' || current_versions.version_id
        end as superseded_by
    from versions
    left join current_versions
        on versions.county_code = current_versions.county_code
            and versions.year = current_versions.year
            and coalesce(current_versions.unit_name, current_versions.disclosure_id)
            = coalesce(versions.unit_name, versions.disclosure_id)
            and coalesce(current_versions.disclosure_kind, '') = coalesce(versions.disclosure_kind, '')

)

select * from final
