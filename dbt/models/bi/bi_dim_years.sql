-- bi.dim_years: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='dim_years') }}
{{ labelled_view('dim_years') }}
