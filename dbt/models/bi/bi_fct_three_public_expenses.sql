-- bi.fct_three_public_expenses: the mart with its columns named in Chinese (meta.label_zh).
{{ config(alias='fct_three_public_expenses') }}
{{ labelled_view('fct_three_public_expenses') }}
