"""The DuckDB warehouse: raw table families and their loading."""
