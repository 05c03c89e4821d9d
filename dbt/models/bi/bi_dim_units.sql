-- bi.dim_units: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='dim_units') }}
{{ labelled_view('dim_units') }}
