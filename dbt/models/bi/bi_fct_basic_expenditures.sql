-- bi.fct_basic_expenditures: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_basic_expenditures') }}
{{ labelled_view('fct_basic_expenditures') }}
