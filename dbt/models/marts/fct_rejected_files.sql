-- Grain: one row per file version the pipeline refused, with the reason: the extractor could
-- not read it (empty, binary, unreadable, not a budget disclosure), or its rows failed an
-- integrity suite and it was quarantined. Earlier good versions of the same file stay loaded.
with

rejected as (

    select * from {{ ref('stg_disclosures__rejected_files') }}

)

select
    disclosure_id,
    version_id,
    source_files,
    rejection_reason,
    rejected_by,
    rejected_at
from rejected
