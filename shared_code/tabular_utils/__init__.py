"""Code shared by models that learn from tables (Tabular datasets or CSV files)."""
