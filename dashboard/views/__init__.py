"""One module per dashboard page; each has a render() that Streamlit runs as the page."""
