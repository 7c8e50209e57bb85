"""The assessment report: a pure builder from a scored result to ``models.report.Report``.

Public API: ``build_report``, ``ReportContext``, ``next_step``, ``direction_from_rankings``.
Renderers (HTML, PDF) live in ``api.reports``; they only lay out a ``Report``.
"""
from assessment.report.builder import ReportContext, build_report, next_step
from assessment.report.direction import direction_from_rankings

__all__ = ["ReportContext", "build_report", "direction_from_rankings", "next_step"]
