"""Pure matching computation: occupation profiles, fit components, ranking, batch and allocation.

No I/O here: functions take arrays, data frames and ``models`` types and return the same.

The column contract for the shipped occupation tables is in ``matching/data/CONTRACT.md``.
"""
