"""Use case: the pathway case file (路径服务档案) — a person's module history, the facts of the case, the
rule engine's proposal for the next module, and the counsellor's decision (accept or override).

Facts come from the other pathway records through their services: failed applications and placements
from api.services.placements (P1), training from api.services.enrolments (P2), the latest assessment
result and its job direction from api.services.reports. The engine (matching.pathway.rules) is pure;
the rules in force are the default file with the province's overrides (``settings.pathway_province``).

Steps are append-only. Accepting records the proposed module with the rule id and the facts the rule
read; overriding records the chosen module with a reason code from a closed list, and keeps what the
engine proposed next to it. A step recorded by mistake is withdrawn by a correction row.
"""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, aliased

from api.deps import load_owned_person
from api.errors import Problem
from api.security import new_id
from api.services.enrolments import effective, invalid, person_enrolments
from api.services.placements import failed_applications, placements
from matching.pathway.rules import INTERVIEW_MODULE, MODULE_NAMES, CaseFacts, ModuleEntry, Proposal, RuleSet, propose
from models.pathway_case import (
    CurrentModule,
    DecisionIn,
    PathwayOut,
    ProposalOut,
    StepCorrectionIn,
    StepOut,
    StepReason,
)
from models.tables import AssessmentResult, Person
from models.tables_pathway import PathwayStep
from models.training_path import EnrolmentEventKind, EnrolmentKind

PATHWAY_MODULES = frozenset({2, 3, 4, 5, 6})  # "placed through modules 2–6": follow-up is due monthly
TRAINING_MODULE = 5
_COURSES = (EnrolmentKind.training, EnrolmentKind.entrepreneurship_training)
MAX_DAYS_BACK = 3 * 366  # a decision is recorded near the day it is taken, not years later


def steps(session: Session, organisation_id: str, person_id: str) -> list[PathwayStep]:
    """Every step row of the person, in the order recorded (withdrawn and corrected ones too)."""
    return list(session.scalars(select(PathwayStep).where(
        PathwayStep.organisation_id == organisation_id, PathwayStep.person_id == person_id)
        .order_by(PathwayStep.recorded_at, PathwayStep.id)))


def effective_steps(session: Session, organisation_id: str, person_id: str) -> list[PathwayStep]:
    """The effective steps, in the order the person went through them (entry date, then recording)."""
    query = effective(PathwayStep, select(PathwayStep).where(PathwayStep.organisation_id == organisation_id,
                                                             PathwayStep.person_id == person_id))
    return list(session.scalars(query.order_by(PathwayStep.entered_on, PathwayStep.recorded_at, PathwayStep.id)))


def latest_result(session: Session, organisation_id: str, person_id: str) -> AssessmentResult | None:
    """The person's newest result that no re-scoring superseded."""
    newer = aliased(AssessmentResult)
    return session.scalars(select(AssessmentResult).where(
        AssessmentResult.organisation_id == organisation_id, AssessmentResult.person_id == person_id,
        ~exists().where(newer.supersedes_id == AssessmentResult.id))
        .order_by(AssessmentResult.created_at.desc(), AssessmentResult.id.desc())).first()


def is_hard_case(person: Person) -> bool:
    """Especially hard case (may skip module 1): recognised as 就业困难人员 (whatever the category — the
    category itself, which may be a disability, is never read) and holding an assistance card (援助卡) or
    living in a zero-employment family."""
    priority = person.priority or {}
    return bool(priority.get("hard_to_employ")) and bool(priority.get("assistance_card")
                                                         or priority.get("zero_employment_family"))


@dataclass(frozen=True)
class AssessmentFacts:
    """What the latest result says for the path: interpretable at all, and the report's outcome key
    (assessment.report.builder.assessment_outcome)."""

    valid: bool
    outcome: str | None


def assessment_facts(session: Session, person: Person, vacancy_pools=None) -> AssessmentFacts:
    from api.services.reports import job_direction, report_context
    from assessment.report.builder import assessment_outcome
    from models.result import ResultDocument

    result = latest_result(session, person.organisation_id, person.id)
    if result is None:
        return AssessmentFacts(False, None)
    document = ResultDocument.model_validate(result.document)
    valid = any(r.interpretable for r in document.instruments)
    direction = job_direction(session, person, document, vacancy_pools) if valid else None
    return AssessmentFacts(valid, assessment_outcome(document, direction, report_context()))


def case_facts(session: Session, person: Person, today: date, *, assessment: AssessmentFacts | None = None,
               vacancy_pools=None) -> CaseFacts:
    """The facts of ``person``'s case on ``today``, gathered from the pathway records."""
    org = person.organisation_id
    history = tuple(ModuleEntry(s.module, s.entered_on) for s in effective_steps(session, org, person.id))
    current = history[-1] if history else None
    interviews = [e for e in history if e.module == INTERVIEW_MODULE]
    views = placements(session, org, person.id)
    working = [v for v in views if v.start_date <= today and (v.ended_on is None or v.ended_on > today)]
    seen = {e.module for e in history}
    training_since = max((e.entered_on for e in history if e.module == TRAINING_MODULE), default=None)
    completed = training_since is not None and any(
        e.kind == EnrolmentEventKind.completed and e.occurred_on >= training_since
        for enrolment in person_enrolments(session, org, person.id, _COURSES) for e in enrolment.events)
    assessment = assessment or assessment_facts(session, person, vacancy_pools)
    def failed(since: date | None) -> int:
        return failed_applications(session, org, person.id, since, today=today)

    total = failed(None)
    return CaseFacts(
        today=today, history=history, failed_applications=total,
        failed_applications_in_module=failed(current.entered_on) if current else total,
        failed_applications_since_interview=failed(interviews[-1].entered_on) if interviews else None,
        has_valid_assessment=assessment.valid, assessment_outcome=assessment.outcome,
        hard_case=is_hard_case(person), employed=bool(working),
        stable_employment=any(v.stable for v in working),
        placed_via_pathway=bool(working) and bool(seen & PATHWAY_MODULES),
        training_completed=completed)


def proposal_out(proposal: Proposal) -> ProposalOut:
    module = proposal.next_module
    return ProposalOut(next_module=module, next_module_name=MODULE_NAMES[module] if module else None,
                       moves=proposal.moves, rule_id=proposal.rule_id, facts_used=_json(proposal.facts_used),
                       text={"zh-CN": proposal.text_zh, "en": proposal.text_en},
                       client_text={"zh-CN": proposal.client_text_zh, "en": proposal.client_text_en})


def _json(values: dict[str, Any]) -> dict[str, Any]:
    """Facts as JSON values (dates as ISO text), for the stored step and the response."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _step_out(row: PathwayStep, corrected: set[str]) -> StepOut:
    return StepOut.model_validate({
        **{c: getattr(row, c) for c in ("id", "module", "entered_on", "reason", "rule_id", "override_reason_code",
                                        "proposed_module", "proposed_rule_id", "facts", "note", "recorded_by",
                                        "recorded_at", "corrects_id", "correction_reason", "retracted")},
        "module_name": MODULE_NAMES[row.module],
        "effective": not row.retracted and row.id not in corrected})


@dataclass(frozen=True)
class CaseFile:
    person: Person
    facts: CaseFacts
    proposal: Proposal
    rows: list[PathwayStep]


def case_file(session: Session, organisation_id: str, person_id: str, rules: RuleSet, today: date,
              vacancy_pools=None) -> CaseFile:
    """The person's case: every step row, the facts today and the engine's proposal (404/410 as usual)."""
    person = load_owned_person(session, organisation_id, person_id)
    facts = case_facts(session, person, today, vacancy_pools=vacancy_pools)
    return CaseFile(person, facts, propose(facts, rules), steps(session, organisation_id, person_id))


def pathway_out(case: CaseFile, rules: RuleSet) -> PathwayOut:
    corrected = {r.corrects_id for r in case.rows if r.corrects_id}
    values = case.facts.values()
    history = case.facts.history
    current = None
    if history:
        last = history[-1]
        current = CurrentModule(module=last.module, name=MODULE_NAMES[last.module], entered_on=last.entered_on,
                                days=(case.facts.today - last.entered_on).days)
    return PathwayOut(person_id=case.person.id, current=current, complete=case.facts.stable_employment,
                      history=[_step_out(r, corrected) for r in case.rows], facts=_json(values),
                      proposal=proposal_out(case.proposal), rules_source=rules.source)


def _check_date(entered_on: date, history: tuple[ModuleEntry, ...], today: date) -> None:
    if entered_on > today:
        raise invalid("entered_on", f"{entered_on} is in the future; record the step on the day the person "
                                    "enters the module (today or earlier)")
    if (today - entered_on).days > MAX_DAYS_BACK:
        raise invalid("entered_on", f"{entered_on} is more than three years ago; check the date (YYYY-MM-DD)")
    if history and entered_on < history[-1].entered_on:
        raise invalid("entered_on", f"{entered_on} is before the person entered the current module "
                                    f"({history[-1].entered_on}); give a date on or after it, or withdraw the "
                                    "later step first")


def decide(session: Session, organisation_id: str, key_id: str, person_id: str, body: DecisionIn,
           rules: RuleSet, today: date, vacancy_pools=None) -> PathwayStep:
    """Record the counsellor's decision as a new step.

    Accept: the proposal's module, reason 'rule' (or 'initial' for the first step), with the rule id
    and the facts the rule read; 409 when the proposal is to stay or the path is complete, or when
    ``body.rule_id`` is not the rule proposing now. Override: the chosen module with the reason code,
    the note and what the engine proposed; 409 when it is the current module."""
    case = case_file(session, organisation_id, person_id, rules, today, vacancy_pools)
    proposal, history = case.proposal, case.facts.history
    entered_on = body.entered_on or today
    _check_date(entered_on, history, today)
    current = case.facts.current_module
    if body.action == "accept":
        if body.rule_id is not None and body.rule_id != proposal.rule_id:
            raise Problem(409, "The proposal has changed",
                          f"rule_id: you accepted rule {body.rule_id}, but the case now leads to rule "
                          f"{proposal.rule_id} (module {proposal.next_module}); reload the case file and decide again",
                          [{"field": "rule_id", "message": f"the current proposal is rule {proposal.rule_id}"}])
        if not proposal.moves:
            what = "the path is complete (stable employment)" if proposal.next_module is None else \
                f"the proposal is to stay in module {current}"
            raise Problem(409, "Nothing to accept", f"action: {what}; to move the person anyway, send an override "
                                                    "with the module and a reason code",
                          [{"field": "action", "message": what}])
        module, reason = proposal.next_module, StepReason.initial if not history else StepReason.rule
    else:
        if body.module == current:
            raise Problem(409, "Already in that module", f"module: the person is in module {current} already; "
                                                         "choose another module",
                          [{"field": "module", "message": f"the person is in module {current} already"}])
        module, reason = body.module, StepReason.override
    row = PathwayStep(
        id=new_id("pws"), organisation_id=organisation_id, person_id=person_id, module=module,
        entered_on=entered_on, reason=reason.value,
        rule_id=proposal.rule_id if body.action == "accept" else None,
        override_reason_code=body.reason_code.value if body.reason_code else None,
        proposed_module=proposal.next_module, proposed_rule_id=proposal.rule_id,
        facts=_json(case.facts.values()), note=body.note, recorded_by=key_id,
        recorded_at=datetime.now(timezone.utc))
    session.add(row)
    session.flush()
    return row


def withdraw_step(session: Session, organisation_id: str, key_id: str, person_id: str, step_id: str,
                  body: StepCorrectionIn) -> PathwayStep:
    """A correction row withdrawing step ``step_id`` (404 if it is not the person's, 409 if already
    corrected); the step stays on record."""
    load_owned_person(session, organisation_id, person_id)
    row = session.scalars(select(PathwayStep).where(PathwayStep.id == step_id,
                                                    PathwayStep.organisation_id == organisation_id,
                                                    PathwayStep.person_id == person_id)).first()
    if row is None or row.retracted:
        raise Problem(404, "Not found", f"No pathway step {step_id!r} of person {person_id} is visible to your key.")
    later = session.scalar(select(PathwayStep.id).where(PathwayStep.corrects_id == row.id))
    if later is not None:
        raise Problem(409, "Already withdrawn", f"step_id: step {row.id} was already withdrawn by {later}",
                      [{"field": "step_id", "message": "already withdrawn"}])
    correction = PathwayStep(
        id=new_id("pws"), organisation_id=organisation_id, person_id=person_id, module=row.module,
        entered_on=row.entered_on, reason=row.reason, rule_id=row.rule_id,
        override_reason_code=row.override_reason_code, proposed_module=row.proposed_module,
        proposed_rule_id=row.proposed_rule_id, facts=row.facts, note=row.note, retracted=True,
        recorded_by=key_id, recorded_at=datetime.now(timezone.utc), corrects_id=row.id,
        correction_reason=body.reason)
    session.add(correction)
    session.flush()
    return correction


ASSESSMENT_MODULE = 4


def report_advisor(session: Session, person: Person, rules: RuleSet, today: date, *, lang: str, audience: str,
                   valid: bool):
    """The report's "suggested next module" from the rule engine (assessment.report.builder.Advisor).

    The report is the output of the assessment (module 4), so the engine sees the case as it stands
    with the person in module 4 and the report's outcome key as the assessment outcome. A proposal to
    stay or a complete path gives None: the builder then uses its own wording."""
    from models.report import PathwayAdvice

    base = case_facts(session, person, today, assessment=AssessmentFacts(valid, None))

    def advise(outcome: str) -> PathwayAdvice | None:
        history = base.history
        if base.current_module != ASSESSMENT_MODULE:
            history = (*history, ModuleEntry(ASSESSMENT_MODULE, max(today, history[-1].entered_on) if history
                                             else today))
        facts = dataclasses.replace(base, history=history, assessment_outcome=outcome,
                                    failed_applications_in_module=0)
        proposal = propose(facts, rules)
        if not proposal.moves or proposal.next_module is None:
            return None
        return PathwayAdvice(module=proposal.next_module, name=MODULE_NAMES[proposal.next_module][lang],
                             reason=proposal.text(lang, audience))

    return advise
