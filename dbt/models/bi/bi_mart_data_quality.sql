-- bi.mart_data_quality: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='mart_data_quality') }}
{{ labelled_view('mart_data_quality') }}
