-- bi.mart_department_comparison: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='mart_department_comparison') }}
{{ labelled_view('mart_department_comparison') }}
