"""Provisional item parameters and norm tables, built from stated assumptions (PROVISIONAL.md).

Run ``python -m instruments.provisional.build``. (Named ``provisional`` rather than ``build``
because the repository's ``.gitignore`` ignores every ``build/`` folder.)
"""
