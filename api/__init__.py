"""The edges of pathfit: the FastAPI app, authentication, database sessions, the CLI and pages."""
