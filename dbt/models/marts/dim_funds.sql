-- Grain: one row per fund (资金来源) a budget figure can belong to.
with

funds as (

    select * from {{ ref('funds') }}

)

select
    fund_code,
    fund_name,
    fund_order
from funds
