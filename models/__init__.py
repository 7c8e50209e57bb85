"""Shared vocabulary of pathfit: pydantic types used by every other package.

This package imports nothing else from the project. The pydantic types here never import
SQLAlchemy; the database tables live apart in ``models.tables`` (with their Alembic migrations in
``models/migrations``) so that the pure cores can use the vocabulary without a database stack.
"""
