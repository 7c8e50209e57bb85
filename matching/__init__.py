"""Pure matching computation: occupation profiles, fit components, ranking, batch and allocation.

No I/O here: functions take arrays, data frames and ``models`` types and return the same.

The shipped occupation tables and their columns are described in ``docs/occupation-profiles.md``.
"""
