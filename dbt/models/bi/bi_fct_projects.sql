-- bi.fct_projects: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_projects') }}
{{ labelled_view('fct_projects') }}
