"""Adapters: translate between outside formats and the application's records — record files (CSV, XLSX,
JSON, schema.org JobPosting), the import spreadsheets' Chinese columns, safe spreadsheet cells, validation
errors in a counsellor's words, and the title coder's embedding model. No queries, no use-case rules."""
