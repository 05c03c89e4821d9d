-- bi.dim_function_subjects: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='dim_function_subjects') }}
{{ labelled_view('dim_function_subjects') }}
