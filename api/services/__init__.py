"""Use cases of the application layer, one module per use case.

Each module owns the queries and rules of its use case and is called by thin adapters: the HTTP routes
(``api/routes``), the counsellor and taker pages (``api/pages``) and the CLI (``api/cli``). A service
takes a SQLAlchemy ``Session`` and plain values or pydantic models, raises ``api.errors.Problem`` (or
``ValueError`` for the CLI) for bad input, and never commits: the adapter's unit of work commits once.
The maths lives in the cores (``assessment``, ``matching``); services only assemble it.
"""
