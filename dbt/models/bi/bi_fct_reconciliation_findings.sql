-- bi.fct_reconciliation_findings: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_reconciliation_findings') }}
{{ labelled_view('fct_reconciliation_findings') }}
