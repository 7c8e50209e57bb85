"""When a list item may say "以往类似情况中，这类岗位的稳定就业率较高" (issue 17, item 5).

Reasons still come from the fit components (``matching.reasons``); the learned part adds this one
sentence, and only when the active model supports it *for this person's own numbers*: the
model's P(hired and still employed at 3 months) for this person and this vacancy is at least
``STABLE_LIFT`` times the base rate of lasting hires among the referrals the model was trained
on, and the model was trained on at least ``MIN_TRAINING_ROWS`` referrals. Otherwise nothing is
added (never a weaker or negative variant: a low chance is not something to tell a person as a
reason).
"""
from __future__ import annotations

STABLE_LIFT = 1.5
MIN_TRAINING_ROWS = 300
STABLE_REASON = {
    "zh-CN": "以往类似情况中，这类岗位的稳定就业率较高",
    "en": "In similar past cases, people placed in jobs like this one more often stayed in work",
}


def supports_stable_reason(p_lasting: float, base_rate: float, training_rows: int) -> bool:
    """Whether the stable-employment sentence is true of this prediction (see the module docstring)."""
    return training_rows >= MIN_TRAINING_ROWS and base_rate > 0 and p_lasting >= STABLE_LIFT * base_rate


__all__ = ["MIN_TRAINING_ROWS", "STABLE_LIFT", "STABLE_REASON", "supports_stable_reason"]
