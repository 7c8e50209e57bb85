"""Households (一家一册): people linked into a family record, and the family's employment status.

Whether a household is a zero-employment family (零就业家庭) is derived, never typed in: see
matching/pathway/households.py for the definition (statutory working age, used only for it).
"""
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from models.base import OutModel, StrictModel


class Relation(StrEnum):
    """Relation to the household head (与户主关系)."""

    head = "head"
    spouse = "spouse"
    child = "child"
    parent = "parent"
    sibling = "sibling"
    grandchild = "grandchild"
    grandparent = "grandparent"
    other = "other"


class HouseholdStatusCode(StrEnum):
    no_working_age_members = "no_working_age_members"
    zero_employment = "zero_employment"
    employed = "employed"
    stable = "stable"


LABELS: dict[str, dict[str, dict[str, str]]] = {
    "Relation": {
        "head": {"zh-CN": "户主", "en": "Head of household"},
        "spouse": {"zh-CN": "配偶", "en": "Spouse"},
        "child": {"zh-CN": "子女", "en": "Child"},
        "parent": {"zh-CN": "父母", "en": "Parent"},
        "sibling": {"zh-CN": "兄弟姐妹", "en": "Brother or sister"},
        "grandchild": {"zh-CN": "孙子女", "en": "Grandchild"},
        "grandparent": {"zh-CN": "祖父母", "en": "Grandparent"},
        "other": {"zh-CN": "其他", "en": "Other"},
    },
    "HouseholdStatusCode": {
        "no_working_age_members": {"zh-CN": "无劳动年龄成员", "en": "No member of working age"},
        "zero_employment": {"zh-CN": "零就业家庭", "en": "Zero-employment family"},
        "employed": {"zh-CN": "已有成员就业", "en": "A member in work"},
        "stable": {"zh-CN": "已有成员稳定就业", "en": "A member in stable work"},
    },
}


class HouseholdMemberIn(StrictModel):
    person_id: str = Field(min_length=1, max_length=40)
    relation: Relation | None = None
    joined_on: date | None = Field(None, description="When the person joined the household record; default today.")


class HouseholdIn(StrictModel):
    external_id: str | None = Field(None, min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:\-]+$",
                                    description="The household's number in the case system (户编号).")
    district: str = Field(min_length=1, max_length=100)
    members: list[HouseholdMemberIn] = Field(default_factory=list, max_length=30)


class MemberLeaveIn(StrictModel):
    left_on: date | None = Field(None, description="The first day the person is no longer in the household; "
                                                   "default today.")


class HouseholdMemberOut(OutModel):
    person_id: str
    external_id: str | None = None
    name: str | None = None
    relation: Relation | None = None
    joined_on: date
    left_on: date | None = None
    working_age: bool = Field(description="Of statutory working age today (the legal definition only).")
    employed: bool = Field(description="Of working age and in work today (a placement that has not ended): "
                                       "what the household status counts.")
    stable: bool = Field(description="In stable work today (still employed at the stable-employment horizon).")


class StatusChange(OutModel):
    since: date
    status: HouseholdStatusCode
    employed_members: list[str]
    stable_members: list[str]


class HouseholdSummary(OutModel):
    id: str
    external_id: str | None = None
    district: str
    status: HouseholdStatusCode
    status_since: date | None = None
    members: int = Field(description="Current members.")


class HouseholdOut(HouseholdSummary):
    created_by: str
    created_at: datetime
    people: list[HouseholdMemberOut] = Field(description="Current and former members, current first.")
    history: list[StatusChange] = Field(description="Every change of status, oldest first.")
