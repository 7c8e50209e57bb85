"""The instrument types reject definitions that cannot be right."""
from __future__ import annotations

import pytest
from pydantic import ValidationError

from models.instrument import BatteryPart, InterpretationBand, ItemParameters, LocalizedText, Option


def test_localized_text_needs_both_languages():
    with pytest.raises(ValidationError, match="missing translation: en"):
        LocalizedText({"zh-CN": "工资"})


def test_localized_text_rejects_blank_text():
    with pytest.raises(ValidationError, match="missing translation: zh-CN"):
        LocalizedText({"zh-CN": "  ", "en": "wages"})


def test_localized_text_rejects_unknown_languages():
    with pytest.raises(ValidationError, match="unknown language"):
        LocalizedText({"zh-CN": "工资", "en": "wages", "fr": "salaire"})


def test_localized_text_returns_the_requested_language():
    assert LocalizedText({"zh-CN": "工资", "en": "wages"}).get("en") == "wages"


def test_3pl_needs_a_guessing_parameter():
    with pytest.raises(ValidationError, match="3PL needs c"):
        ItemParameters(model="3PL", a=1.0, b=0.0, provisional=True)


def test_discrimination_below_range_is_rejected():
    with pytest.raises(ValidationError):
        ItemParameters(model="2PL", a=0.05, b=0.0, provisional=True)


def test_difficulty_beyond_four_logits_is_rejected():
    with pytest.raises(ValidationError):
        ItemParameters(model="2PL", a=1.0, b=4.5, provisional=True)


def test_grm_takes_increasing_thresholds_only():
    ItemParameters(model="GRM", a=1.2, thresholds=[-1.5, 0.0, 1.5], provisional=True)
    with pytest.raises(ValidationError, match="strictly increasing"):
        ItemParameters(model="GRM", a=1.2, thresholds=[0.5, 0.0], provisional=True)


def test_option_needs_text_or_drawing():
    with pytest.raises(ValidationError, match="neither text nor svg"):
        Option(id="A")


def test_band_must_have_positive_width():
    with pytest.raises(ValidationError, match="t_min must be below t_max"):
        InterpretationBand(id="x", t_min=50, t_max=50, label={"zh-CN": "中", "en": "mid"})


def test_adaptive_battery_part_needs_a_stopping_rule():
    with pytest.raises(ValidationError, match="needs max_items and target_se"):
        BatteryPart(instrument="aptitude-v", mode="adaptive", minutes=10)
