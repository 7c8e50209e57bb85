"""Training, internships, directed-training places and the entrepreneurship track (pathway modules 5–6).

An enrolment puts a person on a training programme (module 5) or on an internship / directed-training
place, which is a vacancy (module 6). What happened on it is a list of events; the enrolment's status and
result are derived from the effective events, never typed in. Every record is append-only: a mistake is
put right by a correction (a new record naming the one it replaces, with the reason), or withdrawn by a
correction with ``retract``.
"""
from datetime import date, datetime
from enum import StrEnum

from pydantic import Field

from models.base import OutModel, StrictModel


class EnrolmentKind(StrEnum):
    training = "training"  # 技能培训
    internship = "internship"  # 就业见习
    directed_training = "directed_training"  # 定向培训 / 岗位定向
    entrepreneurship_training = "entrepreneurship_training"  # 创业培训


class EnrolmentEventKind(StrEnum):
    completed = "completed"
    certificate_awarded = "certificate_awarded"
    dropped_out = "dropped_out"
    passed = "passed"
    failed = "failed"
    converted_to_hire = "converted_to_hire"


class EntrepreneurshipStepKind(StrEnum):
    startup_support_referral = "startup_support_referral"
    microcredit_application = "microcredit_application"
    microcredit_approved = "microcredit_approved"
    microcredit_declined = "microcredit_declined"
    business_registered = "business_registered"


# Which events make sense on which kind of enrolment: a certificate comes from a course, a hire from a
# place with an employer, a pass or fail from the entrepreneurship course's assessment.
EVENTS_BY_KIND: dict[EnrolmentKind, frozenset[EnrolmentEventKind]] = {
    EnrolmentKind.training: frozenset({EnrolmentEventKind.completed, EnrolmentEventKind.certificate_awarded,
                                       EnrolmentEventKind.dropped_out}),
    EnrolmentKind.internship: frozenset({EnrolmentEventKind.completed, EnrolmentEventKind.dropped_out,
                                         EnrolmentEventKind.converted_to_hire}),
    EnrolmentKind.directed_training: frozenset({EnrolmentEventKind.completed,
                                                EnrolmentEventKind.certificate_awarded,
                                                EnrolmentEventKind.dropped_out,
                                                EnrolmentEventKind.converted_to_hire}),
    EnrolmentKind.entrepreneurship_training: frozenset({EnrolmentEventKind.completed,
                                                        EnrolmentEventKind.certificate_awarded,
                                                        EnrolmentEventKind.dropped_out,
                                                        EnrolmentEventKind.passed, EnrolmentEventKind.failed}),
}

LABELS: dict[str, dict[str, dict[str, str]]] = {
    "EnrolmentKind": {
        "training": {"zh-CN": "技能培训", "en": "Skills training"},
        "internship": {"zh-CN": "就业见习", "en": "Internship"},
        "directed_training": {"zh-CN": "定向培训", "en": "Directed training"},
        "entrepreneurship_training": {"zh-CN": "创业培训", "en": "Entrepreneurship training"},
    },
    "EnrolmentEventKind": {
        "completed": {"zh-CN": "已结业", "en": "Completed"},
        "certificate_awarded": {"zh-CN": "取得证书", "en": "Certificate awarded"},
        "dropped_out": {"zh-CN": "中途退出", "en": "Dropped out"},
        "passed": {"zh-CN": "考核合格", "en": "Passed"},
        "failed": {"zh-CN": "考核未通过", "en": "Failed"},
        "converted_to_hire": {"zh-CN": "转为正式录用", "en": "Hired at the end"},
    },
    "EntrepreneurshipStepKind": {
        "startup_support_referral": {"zh-CN": "转介创业扶持服务", "en": "Referred to start-up support"},
        "microcredit_application": {"zh-CN": "申请创业担保贷款", "en": "Applied for a guaranteed start-up loan"},
        "microcredit_approved": {"zh-CN": "贷款获批", "en": "Loan approved"},
        "microcredit_declined": {"zh-CN": "贷款未获批", "en": "Loan declined"},
        "business_registered": {"zh-CN": "完成经营主体登记", "en": "Business registered"},
    },
    "EnrolmentStatus": {
        "enrolled": {"zh-CN": "在读/在岗", "en": "Under way"},
        "completed": {"zh-CN": "已结业", "en": "Completed"},
        "dropped_out": {"zh-CN": "中途退出", "en": "Dropped out"},
        "converted_to_hire": {"zh-CN": "已转正式录用", "en": "Hired at the end"},
    },
}


class EnrolmentFields(StrictModel):
    """What an enrolment says. Training and entrepreneurship training name a ``programme_id``; an
    internship or directed-training place names the ``vacancy_id`` of a vacancy flagged as such (directed
    training may also name the programme that goes with it)."""

    kind: EnrolmentKind
    programme_id: str | None = Field(None, min_length=1, max_length=40)
    vacancy_id: str | None = Field(None, min_length=1, max_length=40)
    started_on: date = Field(description="First day on the course or the place (local date).")
    note: str | None = Field(None, max_length=2000)


class EnrolmentIn(EnrolmentFields):
    """Enrol a person (see :class:`EnrolmentFields`)."""

    person_id: str = Field(min_length=1, max_length=40)


class EnrolmentEventIn(StrictModel):
    """What happened on an enrolment; ``certificate`` is required for certificate_awarded and only there."""

    kind: EnrolmentEventKind
    occurred_on: date
    certificate: str | None = Field(None, min_length=1, max_length=100,
                                    examples=["养老护理员（五级）职业技能等级证书"])
    note: str | None = Field(None, max_length=2000)


class EntrepreneurshipStepIn(StrictModel):
    step: EntrepreneurshipStepKind
    occurred_on: date
    note: str | None = Field(None, max_length=2000)


class _Correction(StrictModel):
    """Put a record right: either ``replacement`` (the record as it should have been) or ``retract``."""

    reason: str = Field(min_length=2, max_length=2000, description="Why the record is corrected (kept).")
    retract: bool = Field(False, description="Withdraw the record altogether instead of replacing it.")


class EnrolmentCorrectionIn(_Correction):
    replacement: EnrolmentFields | None = None


class EnrolmentEventCorrectionIn(_Correction):
    replacement: EnrolmentEventIn | None = None


class EntrepreneurshipStepCorrectionIn(_Correction):
    replacement: EntrepreneurshipStepIn | None = None


class _Recorded(OutModel):
    id: str
    recorded_by: str
    recorded_at: datetime
    corrects_id: str | None = None
    correction_reason: str | None = None
    retracted: bool = False


class EnrolmentEventOut(_Recorded):
    enrolment_id: str
    kind: EnrolmentEventKind
    occurred_on: date
    certificate: str | None = None
    note: str | None = None
    effective: bool = Field(True, description="False when a later record corrects or withdraws this one.")


class EnrolmentOut(_Recorded):
    """An enrolment with its effective events and what they add up to."""

    person_id: str
    kind: EnrolmentKind
    programme_id: str | None = None
    programme_title: str | None = None
    vacancy_id: str | None = None
    vacancy_title: str | None = None
    started_on: date
    note: str | None = None
    status: str = Field(description="enrolled, completed, dropped_out or converted_to_hire (derived).")
    result: str | None = Field(None, description="passed or failed, for entrepreneurship training (derived).")
    certificates: list[str] = Field(default_factory=list, description="Certificates awarded on it.")
    events: list[EnrolmentEventOut] = Field(default_factory=list, description="Effective events, oldest first.")
    effective: bool = Field(True, description="False when a later record corrects or withdraws this one.")


class EntrepreneurshipStepOut(_Recorded):
    person_id: str
    step: EntrepreneurshipStepKind
    occurred_on: date
    note: str | None = None


class EntrepreneurshipTrack(OutModel):
    """A person's 创业 track: entrepreneurship-training enrolments and the recorded steps (effective only)."""

    person_id: str
    trainings: list[EnrolmentOut]
    steps: list[EntrepreneurshipStepOut]
    training_passed: bool = Field(description="An entrepreneurship training was passed.")
    microcredit: str | None = Field(None, description="applied, approved or declined: the latest loan decision "
                                                      "or a pending application.")
    business_registered: bool
