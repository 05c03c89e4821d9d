-- bi.fct_extraction_problems: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_extraction_problems') }}
{{ labelled_view('fct_extraction_problems') }}
