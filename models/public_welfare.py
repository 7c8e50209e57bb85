"""Public-welfare posts as the floor (公益性岗位托底安置): who should be offered one, and who was placed
on one.

The floor is for priority people (就业困难人员, holders of an employment assistance card, members of a
zero-employment family) who have been through the pathway's modules 2–6 without being placed. Offering a
post is a referral to a vacancy flagged ``public_welfare`` (POST /v1/referrals); a placement on it is a
hired outcome with ``placement_route`` 'public_welfare' (POST /v1/outcomes).
"""
from datetime import date
from enum import StrEnum

from pydantic import Field

from models.base import OutModel


class PriorityReason(StrEnum):
    hard_to_employ = "hard_to_employ"  # 就业困难人员
    assistance_card = "assistance_card"  # 就业援助卡
    zero_employment_family = "zero_employment_family"  # 零就业家庭成员


LABELS: dict[str, dict[str, dict[str, str]]] = {
    "PriorityReason": {
        "hard_to_employ": {"zh-CN": "就业困难人员", "en": "Hard to employ"},
        "assistance_card": {"zh-CN": "持就业援助卡", "en": "Holds an employment assistance card"},
        "zero_employment_family": {"zh-CN": "零就业家庭成员", "en": "Member of a zero-employment family"},
    },
}


class PublicWelfareCandidate(OutModel):
    person_id: str
    external_id: str | None = None
    name: str | None = None
    district: str | None = None
    reasons: list[PriorityReason] = Field(description="Why the person is a priority case.")
    household_id: str | None = Field(None, description="The zero-employment household the person belongs to.")
    modules_seen: list[int] = Field(description="Pathway modules the person has been in (effective steps).")
    modules_missing: list[int] = Field(description="Modules of 2–6 not yet seen; empty for a full candidate.")
    reached_module_6_on: date | None = Field(None, description="When the person entered module 6.")
    public_welfare_offers: int = Field(description="Referrals to public-welfare posts so far.")
    last_offer_on: date | None = None


class PublicWelfarePlacement(OutModel):
    placement_id: str
    person_id: str
    external_id: str | None = None
    name: str | None = None
    vacancy_id: str | None = None
    vacancy_title: str | None = None
    start_date: date
    ended_on: date | None = None
    stable: bool | None = Field(None, description="Still employed at the stable-employment horizon (None: not "
                                                  "known yet).")
