-- bi.fct_county_function_totals: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_county_function_totals') }}
{{ labelled_view('fct_county_function_totals') }}
