-- bi.fct_revenues: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_revenues') }}
{{ labelled_view('fct_revenues') }}
