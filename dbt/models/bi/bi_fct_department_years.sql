-- bi.fct_department_years: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_department_years') }}
{{ labelled_view('fct_department_years') }}
