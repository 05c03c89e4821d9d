-- bi.fct_procurement_items: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_procurement_items') }}
{{ labelled_view('fct_procurement_items') }}
