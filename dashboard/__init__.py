"""The finance bureau's dashboard: a read-only Streamlit app over the published warehouse."""
