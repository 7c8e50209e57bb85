"""Database tables: The pathway case file: module history and next-module decisions, and the 一人一策 plans (items 4–5).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata).
"""
from models.tables import Base  # noqa: F401  (tables of this module subclass it)
