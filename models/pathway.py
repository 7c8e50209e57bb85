"""Referrals, applications, outcomes and follow-up contacts (pathway issue #16, items 1–2).

A referral (推荐) sends a person to a vacancy; what came of it is a list of outcome events (interview,
offer, hired, rejected, no response, withdrawn). A hire is a placement (安置); follow-up contacts after it
(回访) say whether the person is still in work. Retention and "stable employment" are derived from the
follow-ups, never typed in (``matching.pathway.retention``). Every record is append-only: a mistake is put
right by a correction (a new record naming the one it replaces, with the reason), or withdrawn by a
correction with ``retract``.

Dates the person experienced (referred_on, occurred_on, start_date, contacted_on, left_on) are local
calendar dates in the centre's time zone.
"""
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from models.base import OutModel, StrictModel

RETENTION_MONTHS = (1, 3, 6, 12)
MAX_WEEKLY_HOURS = 84  # 12 hours a day, 7 days a week: anything above is a typing mistake
MAX_MONTHLY_PAY = 1_000_000  # yuan; catches an extra zero or a yearly figure typed as monthly


class ReferralSource(StrEnum):
    counsellor = "counsellor"  # a counsellor referred the person (from a ranking or by hand)
    case_system = "case_system"  # the provincial case system sent the referral
    self_application = "self_application"  # the person applied on their own and told the centre


class OutcomeKind(StrEnum):
    interview = "interview"
    offer = "offer"
    hired = "hired"
    rejected = "rejected"
    no_response = "no_response"
    withdrawn = "withdrawn"


class ContractType(StrEnum):
    fixed_term = "fixed_term"
    open_ended = "open_ended"
    part_time = "part_time"
    dispatch = "dispatch"  # 劳务派遣
    self_employed = "self_employed"
    public_welfare = "public_welfare"  # 公益性岗位
    none = "none"  # no written contract


class PlacementRoute(StrEnum):
    referral = "referral"
    own_search = "own_search"
    training = "training"
    internship = "internship"
    public_welfare = "public_welfare"
    entrepreneurship = "entrepreneurship"


class RejectedBy(StrEnum):
    employer = "employer"
    person = "person"


class RejectionReason(StrEnum):
    """Why an application did not lead to a job. No code names a protected attribute: the record is
    about the job and the application, never the person's gender, age, health or background."""

    skills_mismatch = "skills_mismatch"
    experience_insufficient = "experience_insufficient"
    certificate_missing = "certificate_missing"
    education_below_requirement = "education_below_requirement"
    pay_too_low = "pay_too_low"
    hours_or_shifts_unsuitable = "hours_or_shifts_unsuitable"
    commute_too_long = "commute_too_long"
    working_conditions = "working_conditions"
    position_filled = "position_filled"
    missed_interview = "missed_interview"
    other = "other"


class FollowUpChannel(StrEnum):
    phone = "phone"
    visit = "visit"


class FollowUpStatus(StrEnum):
    still_employed = "still_employed"
    left = "left"  # out of work: ends the placement
    changed_job = "changed_job"  # left the placement job for another one: still in work


class LeftReason(StrEnum):
    contract_ended = "contract_ended"
    dismissed = "dismissed"
    business_closed = "business_closed"
    pay = "pay"
    hours_or_shifts = "hours_or_shifts"
    commute = "commute"
    working_conditions = "working_conditions"
    relations_at_work = "relations_at_work"
    family_care = "family_care"
    personal = "personal"
    other = "other"


LABELS: dict[str, dict[str, dict[str, str]]] = {
    "ReferralSource": {
        "counsellor": {"zh-CN": "窗口推荐", "en": "Referred by a counsellor"},
        "case_system": {"zh-CN": "业务系统推送", "en": "Sent by the case system"},
        "self_application": {"zh-CN": "本人自行应聘", "en": "Applied on their own"},
    },
    "OutcomeKind": {
        "interview": {"zh-CN": "参加面试", "en": "Interview"},
        "offer": {"zh-CN": "获得录用通知", "en": "Job offer"},
        "hired": {"zh-CN": "已上岗", "en": "Hired"},
        "rejected": {"zh-CN": "未录用", "en": "Not taken on"},
        "no_response": {"zh-CN": "用人单位未回复", "en": "No reply from the employer"},
        "withdrawn": {"zh-CN": "本人放弃", "en": "Withdrew"},
    },
    "ContractType": {
        "fixed_term": {"zh-CN": "固定期限劳动合同", "en": "Fixed-term contract"},
        "open_ended": {"zh-CN": "无固定期限劳动合同", "en": "Open-ended contract"},
        "part_time": {"zh-CN": "非全日制用工", "en": "Part-time work"},
        "dispatch": {"zh-CN": "劳务派遣", "en": "Agency (dispatch) work"},
        "self_employed": {"zh-CN": "自主经营", "en": "Self-employed"},
        "public_welfare": {"zh-CN": "公益性岗位协议", "en": "Public-welfare post agreement"},
        "none": {"zh-CN": "未签书面合同", "en": "No written contract"},
    },
    "PlacementRoute": {
        "referral": {"zh-CN": "经推荐就业", "en": "Through a referral"},
        "own_search": {"zh-CN": "本人自行找到工作", "en": "Found the job themselves"},
        "training": {"zh-CN": "培训后就业", "en": "After training"},
        "internship": {"zh-CN": "见习留用", "en": "Kept on after an internship"},
        "public_welfare": {"zh-CN": "公益性岗位安置", "en": "Public-welfare post"},
        "entrepreneurship": {"zh-CN": "自主创业", "en": "Started a business"},
    },
    "RejectedBy": {
        "employer": {"zh-CN": "用人单位未录用", "en": "The employer said no"},
        "person": {"zh-CN": "本人拒绝", "en": "The person said no"},
    },
    "RejectionReason": {
        "skills_mismatch": {"zh-CN": "技能不符合要求", "en": "Skills did not fit the job"},
        "experience_insufficient": {"zh-CN": "工作经验不足", "en": "Not enough experience"},
        "certificate_missing": {"zh-CN": "缺少所需证书", "en": "A required certificate was missing"},
        "education_below_requirement": {"zh-CN": "学历未达要求", "en": "Education below what the job asks"},
        "pay_too_low": {"zh-CN": "工资偏低", "en": "The pay was too low"},
        "hours_or_shifts_unsuitable": {"zh-CN": "工作时间或班次不合适", "en": "Hours or shifts did not suit"},
        "commute_too_long": {"zh-CN": "通勤太远", "en": "Too far to travel"},
        "working_conditions": {"zh-CN": "工作条件不合适", "en": "Working conditions did not suit"},
        "position_filled": {"zh-CN": "岗位已招满", "en": "The post was already filled"},
        "missed_interview": {"zh-CN": "未参加面试", "en": "Did not come to the interview"},
        "other": {"zh-CN": "其他原因", "en": "Another reason"},
    },
    "FollowUpChannel": {
        "phone": {"zh-CN": "电话回访", "en": "Phone call"},
        "visit": {"zh-CN": "上门走访", "en": "Visit"},
    },
    "FollowUpStatus": {
        "still_employed": {"zh-CN": "仍在岗", "en": "Still in the job"},
        "left": {"zh-CN": "已离职", "en": "Left work"},
        "changed_job": {"zh-CN": "已换工作", "en": "Moved to another job"},
    },
    "LeftReason": {
        "contract_ended": {"zh-CN": "合同到期", "en": "The contract ended"},
        "dismissed": {"zh-CN": "被辞退", "en": "Dismissed"},
        "business_closed": {"zh-CN": "单位停业或裁员", "en": "The business closed or cut jobs"},
        "pay": {"zh-CN": "工资待遇", "en": "Pay"},
        "hours_or_shifts": {"zh-CN": "工作时间或班次", "en": "Hours or shifts"},
        "commute": {"zh-CN": "通勤距离", "en": "Travel to work"},
        "working_conditions": {"zh-CN": "工作条件", "en": "Working conditions"},
        "relations_at_work": {"zh-CN": "与同事或上级关系", "en": "Relations with colleagues or the boss"},
        "family_care": {"zh-CN": "照顾家庭", "en": "Caring for family"},
        "personal": {"zh-CN": "个人原因", "en": "Personal reasons"},
        "other": {"zh-CN": "其他原因", "en": "Another reason"},
    },
}


def label(enum_name: str, code: str | None, lang: str = "zh-CN") -> str:
    """The zh-CN or en label of ``code`` in ``LABELS[enum_name]``; an unknown code is shown as is."""
    if code is None:
        return ""
    entry = LABELS.get(enum_name, {}).get(code)
    return entry.get(lang, entry["zh-CN"]) if entry else code


# --- input -------------------------------------------------------------------------------------------

class ReferralFields(StrictModel):
    """A referral to a vacancy. With ``match_id`` (the ``match_id`` of a ``POST /v1/matches`` answer)
    the rank, score, exploration flag, propensity and matcher version are copied from that ranking; they
    cannot be typed in."""

    vacancy_id: str = Field(min_length=1, max_length=40)
    source: ReferralSource
    match_id: str | None = Field(None, min_length=1, max_length=40)
    referred_on: date = Field(description="Day of the referral (local date, not in the future).")
    note: str | None = Field(None, max_length=2000)


class ReferralIn(ReferralFields):
    """Refer a person to a vacancy (see :class:`ReferralFields`)."""

    person_id: str = Field(min_length=1, max_length=40)


class OutcomeFields(StrictModel):
    """What happened. ``hired`` needs start_date, contract_type and placement_route (monthly_pay in yuan
    and weekly_hours when known); ``rejected`` needs rejected_by and may give reason_codes. Every kind
    except ``hired`` belongs to a referral (``referral_id``); a hire without one is a job the person found,
    or a placement through training, an internship, a public-welfare post or a business of their own."""

    referral_id: str | None = Field(None, min_length=1, max_length=40)
    vacancy_id: str | None = Field(None, min_length=1, max_length=40,
                                   description="Defaults to the referral's vacancy.")
    kind: OutcomeKind
    occurred_on: date = Field(description="Day it happened (local date, not in the future).")
    start_date: date | None = Field(None, description="hired: first day at work.")
    contract_type: ContractType | None = None
    monthly_pay: int | None = Field(None, ge=0, le=MAX_MONTHLY_PAY, description="hired: yuan per month before tax.")
    weekly_hours: float | None = Field(None, ge=0, le=MAX_WEEKLY_HOURS, description="hired: hours per week.")
    placement_route: PlacementRoute | None = None
    rejected_by: RejectedBy | None = None
    reason_codes: list[RejectionReason] = Field(default_factory=list, max_length=len(RejectionReason))
    note: str | None = Field(None, max_length=2000)


class OutcomeIn(OutcomeFields):
    person_id: str = Field(min_length=1, max_length=40)


class FollowUpFields(StrictModel):
    """A follow-up contact. ``left`` needs left_on and left_reason; ``changed_job`` may give left_on
    (the day the placement job ended; the person is still in work)."""

    contacted_on: date = Field(description="Day of the contact (local date, not in the future).")
    channel: FollowUpChannel
    status: FollowUpStatus
    left_on: date | None = None
    left_reason: LeftReason | None = None
    difficulties: str | None = Field(None, max_length=2000, description="What the person finds hard at work.")


class FollowUpIn(FollowUpFields):
    person_id: str = Field(min_length=1, max_length=40)
    placement_id: str = Field(min_length=1, max_length=40, description="The id of the hired outcome.")


class _Correction(StrictModel):
    reason: str = Field(min_length=2, max_length=2000, description="Why the record is corrected (kept).")
    retract: bool = Field(False, description="Withdraw the record altogether instead of replacing it.")


class ReferralCorrectionIn(_Correction):
    """Give ``replacement`` (the corrected referral) or ``retract``: true. Only a referral with no
    recorded outcome can be corrected."""

    replacement: ReferralFields | None = None


class OutcomeCorrectionIn(_Correction):
    """Give ``replacement`` (the corrected outcome) or ``retract``: true."""

    replacement: OutcomeFields | None = None


class FollowUpCorrectionIn(_Correction):
    """Give ``replacement`` (the corrected contact) or ``retract``: true."""

    replacement: FollowUpFields | None = None


# --- output ------------------------------------------------------------------------------------------

class _Recorded(OutModel):
    id: str
    person_id: str
    recorded_by: str
    recorded_at: datetime
    corrects_id: str | None = None
    correction_reason: str | None = None
    retracted: bool = False
    effective: bool = Field(True, description="False when a later record corrects or withdraws this one.")


class ReferralOut(_Recorded):
    vacancy_id: str
    source: ReferralSource
    match_id: str | None
    rank: int | None
    score: float | None
    matcher_version: str | None
    model_version: str | None
    exploration: bool
    propensity: float | None
    referred_on: date
    note: str | None
    reference: str = Field(description="Reference number printed on the referral letter.")
    status: str | None = Field(None, description="Kind of the latest effective outcome; null while none.")


class OutcomeOut(_Recorded):
    referral_id: str | None
    vacancy_id: str | None
    kind: OutcomeKind
    occurred_on: date
    start_date: date | None
    contract_type: ContractType | None
    monthly_pay: int | None
    weekly_hours: float | None
    placement_route: PlacementRoute | None
    rejected_by: RejectedBy | None
    reason_codes: list[RejectionReason]
    note: str | None


class FollowUpOut(_Recorded):
    placement_id: str
    contacted_on: date
    channel: FollowUpChannel
    status: FollowUpStatus
    left_on: date | None
    left_reason: LeftReason | None
    difficulties: str | None


class PlacementView(OutModel):
    """A placement (an effective hired outcome) and what the follow-ups say about it. ``retained[m]``:
    True = still in work m months after start_date, False = left work before then, None = not yet known
    (see ``matching.pathway.retention``)."""

    placement_id: str
    person_id: str
    vacancy_id: str | None
    start_date: date
    placement_route: PlacementRoute | None
    ended_on: date | None = Field(description="left_on of the first effective follow-up that says 'left'.")
    retained: dict[int, bool | None]
    stable: bool | None = Field(description="Still in work at settings.stable_employment_months (None = not "
                                            "yet known).")


class DueFollowUp(OutModel):
    """A placement whose monthly follow-up is due (today or within the grace days) or overdue."""

    placement_id: str
    person_id: str
    person_name: str | None
    external_id: str | None
    vacancy_id: str | None
    employer: str | None
    vacancy_title: str | None
    start_date: date
    month: int = Field(description="Which monthly contact is due: 1 = one month after the start.")
    due_on: date
    days_overdue: int = Field(description="Days past due_on (0 on the day).")
    overdue: bool = Field(description="More than the grace days past due_on.")
    last_contacted_on: date | None
