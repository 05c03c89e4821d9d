-- bi.fct_performance_indicators: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_performance_indicators') }}
{{ labelled_view('fct_performance_indicators') }}
