"""Computerised adaptive testing: selection, exposure control, content balancing, simulation."""
from assessment.cat.engine import (EXPOSURE_METHODS, CatBank, CatSettings, CatSimulation, CatStep,
                                   next_item, simulate, simulate_population, tune_sympson_hetter)

__all__ = ["EXPOSURE_METHODS", "CatBank", "CatSettings", "CatSimulation", "CatStep", "next_item",
           "simulate", "simulate_population", "tune_sympson_hetter"]
