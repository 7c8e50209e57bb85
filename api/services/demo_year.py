"""Use case: replay the demo centre's simulated year (matching.pathway.demo_year) through the pathway's
services, so ``pathfit demo`` leaves a living centre: people registered over the year, their module
history with the engine's proposals accepted or overridden, referrals and their outcomes, hires and
monthly follow-ups, training and internships with certificates, households (zero-employment families
among them), a public-welfare placement and signed plans — and centre figures to look at.

Each event goes through the service a counsellor's request would use, dated the day it happened
(``today`` = that day), and recorded by one of three demo counsellor keys, so the figures split by
counsellor. Nothing here writes a table directly. The simulation is seeded: the same seed and end day
give the same year.
"""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.errors import Problem
from api.services import enrolments, households, pathway, plans
from api.services import followups as followup_service
from api.services import outcomes as outcome_service
from api.services import referrals as referral_service
from api.services.pathway_rules import load_rule_set
from api.services.people import create_person, find_by_external_id
from api.tenancy import create_api_key
from matching.pathway.demo_year import Event, Places, simulate_year
from models.enums import Role
from models.household import HouseholdIn, HouseholdMemberIn
from models.pathway_case import DecisionIn, OverrideReason, PlanSignIn
from models.person import PersonCreate
from models.pathway import FollowUpIn, OutcomeIn, ReferralIn
from models.tables import TrainingProgramme, Vacancy
from models.training_path import EnrolmentEventIn, EnrolmentIn

COUNSELLORS = ("演示指导师 王老师", "演示指导师 李老师", "演示指导师 张老师")
FIRST_ID = "DEMO-Y0001"


@dataclass
class Summary:
    """What the replay stored, for the CLI's printout."""

    people: int = 0
    steps: int = 0
    referrals: int = 0
    hires: int = 0
    followups: int = 0
    enrolments: int = 0
    households: int = 0
    plans: int = 0
    counsellor_keys: list[str] = field(default_factory=list)


def already_seeded(session: Session, organisation_id: str) -> bool:
    return find_by_external_id(session, organisation_id, FIRST_ID) is not None


class _Replay:
    def __init__(self, session: Session, organisation_id: str, settings, today: date):
        self.session, self.org, self.settings, self.today = session, organisation_id, settings, today
        self.rules = load_rule_set(settings.pathway_province)
        self.summary = Summary()
        self.keys: list[str] = []
        for label in COUNSELLORS:
            key, _ = create_api_key(session, organisation_id, Role.counsellor, label)
            self.keys.append(key.id)
        vacancies = list(session.scalars(select(Vacancy).where(Vacancy.organisation_id == organisation_id)
                                         .order_by(Vacancy.external_id)))
        self.internships = [v for v in vacancies if v.internship]
        self.directed = [v for v in vacancies if v.directed_training]
        self.public_welfare = [v for v in vacancies if v.public_welfare]
        self.vacancies = [v for v in vacancies if not (v.internship or v.directed_training or v.public_welfare)]
        self.programmes = list(session.scalars(select(TrainingProgramme).where(
            TrainingProgramme.organisation_id == organisation_id).order_by(TrainingProgramme.external_id)))
        self.person_ids: dict[int, str] = {}
        self.counsellor: dict[int, str] = {}
        self.referrals: dict[int, str] = {}
        self.jobs: dict[int, str] = {}
        self.enrolments: dict[int, str] = {}

    def places(self) -> Places:
        return Places(vacancies=len(self.vacancies), internships=len(self.internships), directed=len(self.directed),
                      public_welfare=len(self.public_welfare),
                      public_welfare_openings=sum(v.openings or 1 for v in self.public_welfare),
                      programmes=len(self.programmes))

    # --- one handler per event kind ---------------------------------------------------------------

    def step(self, event: Event, person_id: str, key: str) -> None:
        module, reason = event.detail["module"], event.detail["reason"]
        case = pathway.case_file(self.session, self.org, person_id, self.rules, event.day)
        if case.proposal.moves and case.proposal.next_module == module:
            body = DecisionIn(action="accept", rule_id=case.proposal.rule_id, entered_on=event.day)
        elif case.facts.current_module == module:
            return  # the engine already has the person there (e.g. follow-up opened by the hire)
        else:
            why = (OverrideReason.especially_hard_case if reason == "initial" and module == 2
                   else OverrideReason.opportunity_available)
            body = DecisionIn(action="override", module=module, reason_code=why, entered_on=event.day)
        pathway.decide(self.session, self.org, key, person_id, body, self.rules, event.day)
        self.summary.steps += 1

    def referral(self, event: Event, person_id: str, key: str) -> None:
        vacancy = self.vacancies[event.detail["vacancy"]]
        row = referral_service.create_referral(self.session, self.org, key, ReferralIn(
            person_id=person_id, vacancy_id=vacancy.id, source="counsellor", referred_on=event.day), event.day)
        self.referrals[event.detail["ref"]] = row.id
        self.summary.referrals += 1

    def outcome(self, event: Event, person_id: str, key: str) -> None:
        detail = event.detail
        body = {"person_id": person_id, "referral_id": self.referrals[detail["ref"]], "kind": detail["outcome"],
                "occurred_on": event.day}
        if detail["outcome"] == "rejected":
            body |= {"rejected_by": detail["rejected_by"], "reason_codes": [detail["reason"]]}
        outcome_service.record_outcome(self.session, self.org, key, OutcomeIn.model_validate(body), event.day)

    def hired(self, event: Event, person_id: str, key: str) -> None:
        detail = event.detail
        vacancy = None
        if detail["place"] == "vacancy" and detail["vacancy"] is not None:
            vacancy = self.vacancies[detail["vacancy"]]
        elif detail["place"] in ("internship", "directed_training"):
            vacancy = (self.internships if detail["place"] == "internship" else self.directed)[detail["vacancy"]]
        elif detail["place"] == "public_welfare":
            vacancy = self.public_welfare[detail["vacancy"]]
        body = {"person_id": person_id, "kind": "hired", "occurred_on": event.day, "start_date": event.day,
                "referral_id": self.referrals.get(detail["ref"]) if detail["ref"] else None,
                "vacancy_id": vacancy.id if vacancy is not None else None,
                "contract_type": "public_welfare" if detail["route"] == "public_welfare" else detail["contract_type"],
                "monthly_pay": detail["monthly_pay"], "weekly_hours": detail["weekly_hours"],
                "placement_route": detail["route"]}
        row = outcome_service.record_outcome(self.session, self.org, key, OutcomeIn.model_validate(body), event.day)
        self.jobs[detail["job"]] = row.id
        self.summary.hires += 1

    def followup(self, event: Event, person_id: str, key: str) -> None:
        detail = event.detail
        body = {"person_id": person_id, "placement_id": self.jobs[detail["job"]], "contacted_on": event.day,
                "channel": detail["channel"], "status": detail["status"]}
        if detail["status"] == "left":
            body |= {"left_on": detail["left_on"], "left_reason": detail["left_reason"]}
        followup_service.record_followup(self.session, self.org, key, FollowUpIn.model_validate(body), event.day)
        self.summary.followups += 1

    def enrol(self, event: Event, person_id: str, key: str) -> None:
        detail = event.detail
        if detail["kind"] == "training":
            fields = {"programme_id": self.programmes[detail["programme"]].id}
        else:
            places = self.internships if detail["kind"] == "internship" else self.directed
            fields = {"vacancy_id": places[detail["place"]].id}
        row = enrolments.create_enrolment(self.session, self.org, key, EnrolmentIn(
            person_id=person_id, kind=detail["kind"], started_on=event.day, **fields), event.day)
        self.enrolments[detail["enrolment"]] = row.id
        self.summary.enrolments += 1

    def enrolment_event(self, event: Event, person_id: str, key: str) -> None:
        detail = event.detail
        enrolment_id = self.enrolments[detail["enrolment"]]
        certificate = None
        if detail["event"] == "certificate_awarded":
            enrolment = enrolments.load_enrolment(self.session, self.org, enrolment_id)
            programme = self.session.get(TrainingProgramme, enrolment.programme_id)
            awarded = list(programme.certificates_awarded or []) if programme is not None else []
            if not awarded:
                return  # the programme gives no certificate: nothing to award
            certificate = awarded[0]
        enrolments.add_event(self.session, self.org, key, enrolment_id, EnrolmentEventIn(
            kind=detail["event"], occurred_on=event.day, certificate=certificate), event.day)

    def plan(self, event: Event, person_id: str, key: str) -> None:
        plans.draft(self.session, self.org, key, person_id, self.rules, event.day)
        self.summary.plans += 1

    def plan_sign(self, event: Event, person_id: str, key: str) -> None:
        latest = plans.latest(self.session, self.org, person_id)
        if latest is not None and latest.status == "draft":
            plans.sign(self.session, self.org, key, person_id, PlanSignIn(version=latest.version))

    # --- the year ---------------------------------------------------------------------------------

    def run(self, people: int, seed: int) -> Summary:
        districts = sorted({v.district for v in self.vacancies if v.district}) or ["朝阳区"]
        year = simulate_year(self.today, self.places(), districts, people=people, counsellors=len(self.keys),
                             seed=seed)
        roster = {p.index: p for p in year.people}
        for event in year.events:
            person = roster[event.person]
            if event.kind == "register":
                row = create_person(self.session, self.org, PersonCreate.model_validate(person.record))
                self.person_ids[person.index] = row.id
                self.summary.people += 1
                continue
            handler = getattr(self, event.kind)
            handler(event, self.person_ids[person.index], self.keys[person.counsellor])
        for number, members in enumerate(year.households, start=1):
            first = roster[members[0][0]]
            households.create_household(self.session, self.org, self.keys[first.counsellor], HouseholdIn(
                external_id=f"DEMO-H{number:03d}", district=first.record["district"],
                members=[HouseholdMemberIn(person_id=self.person_ids[i], relation=relation,
                                           joined_on=roster[i].registered_on) for i, relation in members]),
                self.today)
            self.summary.households += 1
        self.summary.counsellor_keys = COUNSELLORS
        return self.summary


def seed_year(session: Session, organisation_id: str, settings, today: date, *, people: int = 160,
              seed: int = 2026) -> Summary:
    """Replay a simulated year ending ``today`` into ``organisation_id`` (which must hold the demo
    vacancies and programmes); 409 when the year was seeded there already."""
    if already_seeded(session, organisation_id):
        raise Problem(409, "Demo year already seeded", f"person {FIRST_ID} exists: the demo year is in this "
                                                       "organisation already")
    return _Replay(session, organisation_id, settings, today).run(people, seed)
