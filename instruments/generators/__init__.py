"""Automatic item generation (AIG) for the ability banks.

Each generator module writes the committed item files of one instrument from a fixed seed, so
re-running ``python -m instruments.generators.<name>`` reproduces the same bytes. Every item
records the features its difficulty follows from (``features``); the provisional parameter script
(``instruments/provisional``) turns those features into IRT parameters.

References: Gierl & Haladyna (eds., 2013) *Automatic Item Generation*, Routledge; Irvine & Kyllonen
(eds., 2002) *Item Generation for Test Development*, Erlbaum.
"""
