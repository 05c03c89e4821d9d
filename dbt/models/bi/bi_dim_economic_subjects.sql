-- bi.dim_economic_subjects: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='dim_economic_subjects') }}
{{ labelled_view('dim_economic_subjects') }}
