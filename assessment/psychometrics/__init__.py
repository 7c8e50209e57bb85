"""Psychometric toolkit: what a psychometrician would otherwise do in R (mirt, psych, lavaan).

The public contract (issue 5): ``calibrate``, ``alpha``, ``omega``, ``efa``, ``cfa``, ``item_analysis``,
``dif`` and ``build_norms``. Agreement with R and the choice of libraries: ``docs/psychometrics-stack.md``.
"""
from assessment.psychometrics.calibration.em import CalibrationConvergenceWarning, calibrate
from assessment.psychometrics.calibration.result import Calibration
from assessment.psychometrics.cfa import cfa
from assessment.psychometrics.dif import dif
from assessment.psychometrics.efa import efa
from assessment.psychometrics.item_analysis import item_analysis
from assessment.psychometrics.norming import build_norms
from assessment.psychometrics.qa import quality_report
from assessment.psychometrics.reliability import alpha, omega
from assessment.psychometrics.simulate import simulate

__all__ = ["Calibration", "CalibrationConvergenceWarning", "alpha", "build_norms", "calibrate", "cfa", "dif",
           "efa", "item_analysis", "omega", "quality_report", "simulate"]
