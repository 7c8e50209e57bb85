"""The pathway case file (路径服务档案) and the 一人一策 individual plan (援助协议) as the API shows them.

The case file is a person's module history (append-only steps) and the rule engine's proposal for the
next module; the counsellor accepts the proposal or overrides it with a reason code from
``OverrideReason``. The plan is versioned: every edit is a new version, signing closes a version for
good, and the supports it lists are always "to check" (待核实) — the plan never decides an entitlement.
"""
from datetime import date, datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, model_validator

from models.base import OutModel, StrictModel

Module = int  # 1–7, see matching.pathway.rules.MODULE_NAMES
Texts = dict[str, str]  # {"zh-CN": …, "en": …}


class StepReason(StrEnum):
    initial = "initial"
    rule = "rule"
    override = "override"


class OverrideReason(StrEnum):
    """Why a counsellor chose another module than the one proposed (closed list; add a note)."""

    person_request = "person_request"  # 本人意愿
    personal_circumstances = "personal_circumstances"  # 个人或家庭情况
    opportunity_available = "opportunity_available"  # 有合适的岗位、培训或见习名额
    place_not_available = "place_not_available"  # 建议模块暂无名额
    service_received_elsewhere = "service_received_elsewhere"  # 已在其他机构接受该服务
    especially_hard_case = "especially_hard_case"  # 特别困难，跳过基本服务
    counsellor_judgement = "counsellor_judgement"  # 指导师专业判断（须写明理由）


REQUIRES_NOTE = frozenset({OverrideReason.counsellor_judgement})

OVERRIDE_LABELS: dict[str, Texts] = {
    "person_request": {"zh-CN": "本人意愿", "en": "The person's own wish"},
    "personal_circumstances": {"zh-CN": "个人或家庭情况", "en": "Personal or family circumstances"},
    "opportunity_available": {"zh-CN": "有合适的岗位、培训或见习名额", "en": "A suitable job, course or place is open"},
    "place_not_available": {"zh-CN": "建议的服务暂无名额", "en": "No place in the proposed service"},
    "service_received_elsewhere": {"zh-CN": "已在其他机构接受该服务", "en": "Already received elsewhere"},
    "especially_hard_case": {"zh-CN": "特别困难，跳过基本服务", "en": "Especially hard case: skip basic service"},
    "counsellor_judgement": {"zh-CN": "指导师专业判断（须写明理由）", "en": "Counsellor's judgement (explain in the note)"},
}


class DecisionIn(StrictModel):
    """Accept the engine's proposal, or override it with another module and a reason code.

    ``rule_id`` (accept): the rule of the proposal the counsellor saw; if the case changed since and the
    engine now proposes something else, the decision is refused (409) instead of recording the wrong move."""

    action: Literal["accept", "override"]
    module: int | None = Field(None, ge=1, le=7, description="Override only: the module the person enters, 1–7.")
    reason_code: OverrideReason | None = Field(None, description="Override only: why (closed list).")
    note: str | None = Field(None, max_length=2000)
    rule_id: str | None = Field(None, max_length=64, description="Accept: the proposal's rule, as shown.")
    entered_on: date | None = Field(None, description="The day the person enters the module; default today.")

    @model_validator(mode="after")
    def _fits_action(self) -> "DecisionIn":
        if self.action == "override":
            if self.module is None:
                raise ValueError("module: an override names the module the person enters (1–7)")
            if self.reason_code is None:
                raise ValueError("reason_code: an override needs a reason code, one of "
                                 + ", ".join(r.value for r in OverrideReason))
            if self.reason_code in REQUIRES_NOTE and not (self.note or "").strip():
                raise ValueError(f"note: the reason {self.reason_code.value} needs a note saying why")
        elif self.module is not None or self.reason_code is not None:
            raise ValueError("module, reason_code: only an override sets them; remove them to accept the proposal")
        return self


class StepCorrectionIn(StrictModel):
    """Withdraw a step recorded by mistake (it stays on record, marked as withdrawn)."""

    reason: str = Field(min_length=3, max_length=2000, description="Why the step is withdrawn.")


class StepOut(OutModel):
    id: str
    module: Module
    module_name: Texts
    entered_on: date
    reason: StepReason
    rule_id: str | None = None
    override_reason_code: OverrideReason | None = None
    proposed_module: Module | None = None
    proposed_rule_id: str | None = None
    facts: dict[str, Any] = Field(default_factory=dict)
    note: str | None = None
    recorded_by: str
    recorded_at: datetime
    corrects_id: str | None = None
    correction_reason: str | None = None
    retracted: bool = False
    effective: bool = True


class ProposalOut(OutModel):
    next_module: Module | None = Field(description="None: the path is complete (stable employment).")
    next_module_name: Texts | None = None
    moves: bool = Field(description="False when the proposal is to stay in the current module or stop.")
    rule_id: str
    facts_used: dict[str, Any]
    text: Texts = Field(description="For the counsellor.")
    client_text: Texts = Field(description="For the person, in plain words.")


class CurrentModule(OutModel):
    module: Module
    name: Texts
    entered_on: date
    days: int = Field(description="Days in the module up to today (centre's time zone).")


class PathwayOut(OutModel):
    person_id: str
    current: CurrentModule | None = Field(description="None: not on the pathway yet.")
    complete: bool = Field(description="True when the person is in stable work: the path has ended.")
    history: list[StepOut] = Field(description="Every step, oldest first, withdrawn ones included (effective=false).")
    facts: dict[str, Any] = Field(description="The case facts the engine read today.")
    proposal: ProposalOut
    rules_source: str = Field(description="Which rule files were used, e.g. 'default' or 'default+guangdong'.")


# --- plans -----------------------------------------------------------------------------------------

class PlanOwner(StrEnum):
    person = "person"  # 本人
    counsellor = "counsellor"  # 就业指导师
    employer = "employer"  # 用人单位
    training_provider = "training_provider"  # 培训机构


OWNER_LABELS: dict[str, Texts] = {
    "person": {"zh-CN": "本人", "en": "The person"},
    "counsellor": {"zh-CN": "就业指导师", "en": "Counsellor"},
    "employer": {"zh-CN": "用人单位", "en": "Employer"},
    "training_provider": {"zh-CN": "培训机构", "en": "Training provider"},
}


class PlanStep(StrictModel):
    text: str = Field(min_length=1, max_length=500, examples=["两周内投递 3 个岗位"])
    owner: PlanOwner
    due_on: date


class PlanSupport(StrictModel):
    """A subsidy or service the person may be eligible for. Always 'to_check' (待核实): the plan lists it
    for the counsellor to check against the rules; it never grants or refuses it."""

    name: str = Field(min_length=1, max_length=200, examples=["职业培训补贴"])
    status: Literal["to_check"] = "to_check"


class GoalFamily(StrictModel):
    code: str | None = Field(None, max_length=20, description="CSCO 2022 code of the occupation family.")
    title: str = Field(min_length=1, max_length=200)


class PlanDocument(StrictModel):
    goal: GoalFamily | None = Field(None, description="The goal occupation family; None until agreed.")
    steps: list[PlanStep] = Field(min_length=1, max_length=30)
    supports: list[PlanSupport] = Field(default_factory=list, max_length=20)
    review_on: date = Field(description="When the counsellor and the person review the plan together.")
    note: str | None = Field(None, max_length=4000)


class PlanEditIn(PlanDocument):
    """A counsellor's edit: the whole document, and the version it was made from (409 if a newer one
    exists, so that two counsellors never overwrite each other)."""

    based_on_version: int = Field(ge=1)


class PlanSignIn(StrictModel):
    version: int = Field(ge=1, description="The version being signed (the latest draft).")


class PlanOut(OutModel):
    id: str
    person_id: str
    version: int
    status: Literal["draft", "signed"]
    document: PlanDocument
    created_by: str
    created_at: datetime
    signed_by: str | None = None
    signed_at: datetime | None = None
