-- bi.fct_rejected_files: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_rejected_files') }}
{{ labelled_view('fct_rejected_files') }}
