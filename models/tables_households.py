"""Database tables: Households (一家一册) and public-welfare (托底) placements (items 6–7).

Rows that belong to a person set __erased_with_person__ = True and carry a person_id column:
erasing the person deletes them (api.services erasure walks Base.metadata).
"""
from models.tables import Base  # noqa: F401  (tables of this module subclass it)
