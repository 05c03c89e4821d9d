-- bi.dim_funds: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='dim_funds') }}
{{ labelled_view('dim_funds') }}
