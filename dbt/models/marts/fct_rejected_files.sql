-- Grain: one row per file version the pipeline refused (empty, binary, unreadable, or not a
-- budget disclosure), with the reason. Earlier good versions of the same file stay loaded.
with

rejected as (

    select * from {{ ref('stg_disclosures__rejected_files') }}

)

select
    disclosure_id,
    version_id,
    source_files,
    rejection_reason,
    rejected_at
from rejected
