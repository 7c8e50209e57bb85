"""Pure psychometric computation: IRT, CAT, classical scoring, norms, validity, reports, toolkit.

No I/O here: functions take arrays, data frames and ``models`` types and return the same.
"""
