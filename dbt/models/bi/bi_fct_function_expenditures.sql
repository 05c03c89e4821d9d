-- bi.fct_function_expenditures: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_function_expenditures') }}
{{ labelled_view('fct_function_expenditures') }}
