"""Great Expectations in the warehouse, two kinds of suites (expectations/):

- raw_suites: one suite per raw table, the extraction's integrity (codes well formed, amounts
  present, no cell read twice). A failure is an extraction bug: it blocks, or quarantines
  the disclosure version it lies in.
- reconciliation_suites: one suite per family of reconciliation rules, judging the
  evaluations dbt pairs in marts.fct_reconciliation_findings. A failure is a finding about a
  document, which officers read: it never blocks. Their Data Docs are published with the
  warehouse.

Both run in a worker process that imports Great Expectations while a build starts (worker).
"""
