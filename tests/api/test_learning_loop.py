"""The whole loop on a recorded centre: referrals, hires and follow-ups recorded through the services,
a model trained from those records (``api.services.outcome_rows``) that beats the hand-set ranking
offline, and the next person's live list ordered by it (both back ends, 25–40 s each)."""
from datetime import timedelta

import numpy as np
import pytest
from sqlalchemy import select

from api.db import make_sessionmaker
from api.services import followups, learning, outcomes, referrals
from api.services.catalogue import VACANCIES, import_records
from api.services.matching import match_person, occupation_frame
from api.services.outcome_rows import labelled_referrals
from api.services.people import create_person
from models.enums import Role
from models.match import MatchRequest
from models.pathway import FollowUpIn, OutcomeIn, ReferralIn
from models.person import PersonCreate
from models.tables import Vacancy
from tests.api import pathway_helpers as h

DISTRICTS = ["朝阳区", "海淀区", "丰台区", "东城区"]


def _record_centre(db, org: str, key_id: str, rng: np.random.Generator) -> None:
    """96 vacancies (12 occupations × 4 districts) and 900 people with a coded past job, each referred
    to two vacancies 140–500 days ago. Hidden rule: a hire is likelier in the person's own line of
    work; a hire in the person's own district is still in work at 3 months with probability 0.9
    (0.1 elsewhere). Each hire has a follow-up 100 days after its start."""
    today = h.today()
    codes = occupation_frame()["code"].sample(12, random_state=1).tolist()
    rows = [(i + 2, {"employer": f"单位{i}", "title": "岗位", "occupation_code": codes[i % 12],
                     "district": DISTRICTS[i % 4], "openings": int(rng.integers(2, 5)), "pay_min": 4000,
                     "pay_max": 6000, "posted_on": str(today - timedelta(days=520))}) for i in range(96)]
    import_records(db, VACANCIES, org, rows, atomic=True)
    vacancies = list(db.execute(select(Vacancy.id, Vacancy.district, Vacancy.occupation_code).where(
        Vacancy.organisation_id == org).order_by(Vacancy.employer)))
    for i in range(900):
        district, code = DISTRICTS[rng.integers(4)], codes[rng.integers(12)]
        person = create_person(db, org, PersonCreate.model_validate({
            "external_id": f"L{i}", "district": district, "education": "junior_secondary",
            "gender": ["female", "male"][i % 2], "birth_year": int(rng.integers(1965, 2004)),
            "work_history": [{"occupation_code": code, "months": int(rng.integers(6, 60))}]}))
        day = today - timedelta(days=int(rng.integers(140, 500)))
        for j in rng.choice(len(vacancies), size=2, replace=False):
            vacancy_id, vacancy_district, vacancy_code = vacancies[j]
            ref = referrals.create_referral(db, org, key_id, ReferralIn(
                person_id=person.id, vacancy_id=vacancy_id, source="counsellor", referred_on=day), day)
            local = vacancy_district == district
            if rng.random() < 0.3 + 0.3 * (vacancy_code == code):
                start = day + timedelta(days=7)
                hire = outcomes.record_outcome(db, org, key_id, OutcomeIn.model_validate({
                    "person_id": person.id, "referral_id": ref.id, "kind": "hired", "occurred_on": start,
                    "start_date": start, "vacancy_id": vacancy_id, "contract_type": "fixed_term",
                    "monthly_pay": 4500, "weekly_hours": 40, "placement_route": "referral"}), start)
                seen = start + timedelta(days=100)
                body = {"person_id": person.id, "placement_id": hire.id, "contacted_on": seen, "channel": "phone",
                        "status": "still_employed"}
                if rng.random() >= (0.9 if local else 0.1):
                    body |= {"status": "left", "left_on": start + timedelta(days=40), "left_reason": "commute"}
                followups.record_followup(db, org, key_id, FollowUpIn.model_validate(body), seen)
                break
            outcomes.record_outcome(db, org, key_id, OutcomeIn.model_validate({
                "person_id": person.id, "referral_id": ref.id, "kind": "rejected", "rejected_by": "employer",
                "occurred_on": day + timedelta(days=10)}), day + timedelta(days=10))


@pytest.fixture
def trained(app, tenant):
    """The recorded centre with a version trained on its records; yields (db, tenant, version)."""
    with make_sessionmaker(app.state.engine)() as db:
        key_id = tenant.key_ids[Role.counsellor]
        _record_centre(db, tenant.organisation_id, key_id, np.random.default_rng(0))
        found = labelled_referrals(db, tenant.organisation_id, today=h.today(), code_titles=app.state.title_coder)
        version = learning.train_version(db, tenant.organisation_id, found.rows, trained_by="test",
                                         groups=found.groups)
        yield db, tenant, version
        db.rollback()


def test_a_model_trained_on_the_centres_records_beats_the_hand_set_ranking_and_orders_the_next_list(app, trained):
    db, tenant, version = trained
    assert version.status == "active", version.decision
    person = create_person(db, tenant.organisation_id, PersonCreate.model_validate({
        "external_id": "NEW", "district": "海淀区", "education": "junior_secondary",
        "work_history": [{"occupation_code": occupation_frame()["code"].sample(12, random_state=1).iloc[0],
                          "months": 24}]}))
    answer = match_person(db, tenant.organisation_id, MatchRequest(person_id=person.id, k=5),
                          pools=app.state.vacancy_pools, code_titles=app.state.title_coder, recorded_by="k_test",
                          settings=app.state.settings.model_copy(update={"exploration_share": 0.0}))
    assert answer.ranking_model == f"outcome model v{version.version}"
    # Jobs in the person's own district are the ones that last in this centre.
    assert {db.get(Vacancy, r.item_id).district for r in answer.ranking.results} == {"海淀区"}
