-- bi.fct_disclosure_versions: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_disclosure_versions') }}
{{ labelled_view('fct_disclosure_versions') }}
