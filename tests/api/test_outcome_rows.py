"""Labelled referrals from a centre's own records (``api.services.outcome_rows``) and training from
them with ``pathfit outcomes train --org`` and no file: hand-built cases through the API, each
labelled as the stable-employment rule says (both back ends)."""
from datetime import timedelta

import pytest
from typer.testing import CliRunner

from api.cli.outcomes import app as cli
from api.db import make_sessionmaker
from api.errors import Problem
from api.services import learning
from api.services.outcome_rows import labelled_referrals
from matching.outcomes.live import LOGGED_FEATURES
from matching.outcomes.model import FEATURES
from models.tables_referrals import RankingLog
from tests.api import pathway_helpers as h

CASHIER = [{"occupation_code": "4-01-02-04", "title": "超市收银员", "months": 36}]


def _person(client, tenant, **fields) -> str:
    return h.person(client, tenant, **{"education": "junior_secondary", "district": "朝阳区", "work_history": CASHIER,
                                       "gender": "female", "birth_year": h.today().year - 30, **fields})


def _referral(client, tenant, vacancy_id, referred: int, **person_fields) -> tuple[str, str]:
    person_id = _person(client, tenant, **person_fields)
    response = h.refer(client, tenant, person_id, vacancy_id, referred_on=h.day(referred))
    assert response.status_code == 201, response.text
    return person_id, response.json()["id"]


def _hire(client, tenant, person_id, referral_id, start: int) -> str:
    response = h.outcome(client, tenant, person_id, referral_id=referral_id, kind="hired", occurred_on=h.day(start),
                         start_date=h.day(start), contract_type="fixed_term", monthly_pay=4200, weekly_hours=44,
                         placement_route="referral")
    assert response.status_code == 201, response.text
    return response.json()["id"]


@pytest.fixture
def recorded(client, tenant):
    """One referral of each kind to one cashier vacancy; yields (tenant, {case: referral id})."""
    vacancy_id = h.vacancy(client, tenant, employer="某超市", title="收银员", occupation_code="4-01-02-04",
                           posted_on=h.day(-230))
    cases = {}
    person_id, cases["stayed"] = _referral(client, tenant, vacancy_id, -200)
    placement = _hire(client, tenant, person_id, cases["stayed"], -190)
    assert h.followup(client, tenant, person_id, placement, h.day(-60)).status_code == 201
    person_id, cases["left in month 2"] = _referral(client, tenant, vacancy_id, -200)
    placement = _hire(client, tenant, person_id, cases["left in month 2"], -190)
    left = h.followup(client, tenant, person_id, placement, h.day(-140), "left", left_on=h.day(-145), left_reason="pay")
    assert left.status_code == 201, left.text
    for case, referred in (("rejected", -200), ("rejected recently", -20)):
        person_id, cases[case] = _referral(client, tenant, vacancy_id, referred)
        rejected = h.outcome(client, tenant, person_id, referral_id=cases[case], kind="rejected",
                             rejected_by="employer", occurred_on=h.day(referred + 5))
        assert rejected.status_code == 201, rejected.text
    _, cases["old without outcome"] = _referral(client, tenant, vacancy_id, -200)
    _, cases["too recent"] = _referral(client, tenant, vacancy_id, -10)
    person_id, cases["hired, retention unknown"] = _referral(client, tenant, vacancy_id, -200)
    _hire(client, tenant, person_id, cases["hired, retention unknown"], -190)
    _, cases["withdrawn"] = _referral(client, tenant, vacancy_id, -200)
    withdrawn = client.post(f"/v1/referrals/{cases['withdrawn']}/corrections",
                            json={"reason": "录错了", "retract": True}, headers=tenant.headers())
    assert withdrawn.status_code == 201, withdrawn.text
    _, cases["nothing to rank on"] = _referral(client, tenant, vacancy_id, -200, work_history=[])
    return tenant, cases


@pytest.fixture
def found(app, recorded):
    tenant, cases = recorded
    with make_sessionmaker(app.state.engine)() as db:
        result = labelled_referrals(db, tenant.organisation_id, today=h.today(), code_titles=app.state.title_coder)
    return result, cases


def test_each_referral_is_labelled_by_whether_it_led_to_a_hire_still_in_work_at_three_months(found):
    result, cases = found
    labels = dict(zip(result.rows["referral_id"], result.rows["lasting"]))
    assert labels == {cases["stayed"]: 1, cases["left in month 2"]: 0, cases["rejected"]: 0,
                      cases["old without outcome"]: 0}


def test_young_referrals_even_refused_ones_unknown_retention_and_people_with_nothing_to_rank_on_are_left_out(
        found):
    result, _ = found
    assert result.left_out == {"too recent to know": 2, "hire whose retention is not known yet": 1,
                               "person with nothing to rank on": 1}


def test_the_rows_hold_the_model_features_and_context_as_of_each_referral_but_no_protected_attribute(found):
    result, cases = found
    rows = result.rows.set_index("referral_id")
    assert set(FEATURES) <= set(rows.columns)
    assert not {"gender", "age_band", "birth_year"} & set(rows.columns)
    # Three referrals were recorded the same day before it (stayed, left, rejected); the vacancy has 2
    # openings and was posted 30 days before.
    assert rows.loc[cases["old without outcome"], "referrals_per_opening"] == pytest.approx(3 / 2)
    assert rows.loc[cases["old without outcome"], "days_open"] == 30
    assert rows["interest"].isna().all() and rows["experience"].notna().all()


def test_gender_and_age_band_come_apart_for_the_fairness_figures(found):
    result, _ = found
    assert list(result.groups["gender"]) == ["female"] * 4
    assert list(result.groups["age_band"]) == ["25-34"] * 4  # 29 or 30 at the referral


def test_the_rows_are_what_training_takes_and_too_few_are_refused_by_the_gate(app, found):
    result, _ = found
    with make_sessionmaker(app.state.engine)() as db:
        with pytest.raises(Problem) as refused:
            learning.train_version(db, "org_unused", result.rows, trained_by="test", groups=result.groups)
    assert refused.value.status == 422 and "labelled referrals" in refused.value.detail


def test_the_cli_without_a_file_trains_from_the_records_and_says_what_it_found(cli_organisation):
    out = CliRunner().invoke(cli, ["train", "--org", cli_organisation])
    assert out.exit_code != 0
    assert "0 labelled referrals from the records" in out.output and "at least 100" in out.output


def test_a_referral_from_a_logged_list_trains_on_the_person_as_they_were_when_the_list_was_made(app, client, tenant):
    vacancy_id = h.vacancy(client, tenant, employer="某超市", title="收银员", occupation_code="4-01-02-04",
                           posted_on=h.day(-5))
    person_id = _person(client, tenant)
    match = client.post("/v1/matches", json={"person_id": person_id, "kind": "vacancies"}, headers=tenant.headers())
    assert match.status_code == 200, match.text
    referral = h.refer(client, tenant, person_id, vacancy_id, match_id=match.json()["match_id"], referred_on=h.day(0))
    assert referral.status_code == 201, referral.text
    with make_sessionmaker(app.state.engine)() as db:
        log = db.get(RankingLog, match.json()["match_id"])
        logged = next(i["features"] for i in log.items if i["item_id"] == vacancy_id)
    # Later the past job is corrected to one far from cashiering: the list was made on the cashier job.
    changed = client.patch(f"/v1/persons/{person_id}", json={"work_history": [
        {"occupation_code": "6-18-02-04", "title": "焊工", "months": 36}]}, headers=tenant.headers())
    assert changed.status_code == 200, changed.text
    with make_sessionmaker(app.state.engine)() as db:
        result = labelled_referrals(db, tenant.organisation_id, today=h.today() + timedelta(days=200),
                                    code_titles=app.state.title_coder)
    row = result.rows.set_index("referral_id").loc[referral.json()["id"]]
    assert set(LOGGED_FEATURES) <= set(logged)
    assert row["experience"] == pytest.approx(logged["experience"]) and row["total"] == pytest.approx(logged["total"])
    assert row["lasting"] == 0
