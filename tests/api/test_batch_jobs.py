"""``/v1/batch-jobs``: an analyst matches the organisation's own pool in the background, follows
it, downloads the results; jobs survive a server restart."""
import io
import time
from datetime import date

import pandas as pd
import pytest

from api.batch.jobs import BatchJobRunner, batch_runner, resume_batch_jobs
from api.batch.sources import organisation_frames
from api.db import make_sessionmaker
from api.security import new_id
from api.services.households import StatusRules

from models.enums import Role
from models.tables import BatchJob
from models.tables_learning import OutcomeModelVersion
from tests.api.outcome_helpers import commute_model

VACANCIES = """external_id,employer,title,occupation_code,openings,district,pay_min,pay_max
V-1,某养老院,养老护理员,4-10-01-05,3,朝阳区,4500,5500
V-2,某超市,收银员,4-01-02-04,2,朝阳区,3800,4500
V-3,某餐馆,中式烹调师,4-03-02-01,1,海淀区,5000,6000
"""


@pytest.fixture
def batch_app(app, tmp_path):
    app.state.batch_jobs = BatchJobRunner(app.state.sessionmaker, tmp_path)
    return app


def _setup(client, tenant, n_people=6):
    client.post("/v1/vacancies/import", content=VACANCIES.encode(),
                headers=tenant.headers(**{"Content-Type": "text/csv"}))
    for i in range(n_people):
        r = client.post("/v1/persons", json={"external_id": f"B-{i}", "education": "junior_secondary",
                                             "district": "朝阳区" if i % 2 else "海淀区",
                                             "expected_monthly_pay": 4000 + 100 * i,
                                             # something to rank on (no assessment taken yet)
                                             "work_history": [{"occupation_code": "4-01-02-04", "months": 12 + i}],
                                             "gender": "female" if i % 2 else "male", "birth_year": 1980 + i},
                        headers=tenant.headers())
        assert r.status_code == 201, r.text


def _wait(client, tenant, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/batch-jobs/{job_id}", headers=tenant.headers(Role.analyst)).json()
        if job["status"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {job}")


def test_an_analyst_runs_a_job_and_downloads_its_results(batch_app, client, tenant):
    _setup(client, tenant)
    created = client.post("/v1/batch-jobs", json={"k": 2, "allocate": True}, headers=tenant.headers(Role.analyst))
    assert created.status_code == 202, created.text
    job = _wait(client, tenant, created.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    assert job["summary"]["seekers"]["rows"] == 6 and job["summary"]["vacancies"]["rows"] == 3
    assert job["progress"] == {"blocks_done": 1, "blocks_total": 1}
    assert "gender" in job["summary"]["fairness"]
    parquet = client.get(f"/v1/batch-jobs/{job['id']}/results", headers=tenant.headers(Role.analyst))
    assert parquet.status_code == 200
    recs = pd.read_parquet(io.BytesIO(parquet.content))
    assert set(recs.columns) >= {"seeker_id", "vacancy_id", "rank", "total"} and recs["rank"].max() <= 2
    csv = client.get(f"/v1/batch-jobs/{job['id']}/results", params={"format": "csv", "table": "allocation"},
                     headers=tenant.headers(Role.analyst))
    assert csv.status_code == 200 and csv.text.startswith("seeker_id,vacancy_id,total")


def test_counsellors_cannot_start_batch_jobs(batch_app, client, tenant):
    response = client.post("/v1/batch-jobs", json={}, headers=tenant.headers(Role.counsellor))
    assert response.status_code == 403


def test_another_organisations_job_is_not_visible(batch_app, client, make_tenant):
    a, b = make_tenant(), make_tenant()
    _setup(client, a, 2)
    job = client.post("/v1/batch-jobs", json={"k": 1}, headers=a.headers(Role.analyst)).json()
    assert client.get(f"/v1/batch-jobs/{job['id']}", headers=b.headers(Role.admin)).status_code == 404
    _wait(client, a, job["id"])


def test_a_job_left_running_by_a_stopped_server_is_resumed_at_start_up(batch_app, client, tenant):
    _setup(client, tenant)
    with make_sessionmaker(batch_app.state.engine)() as db, db.begin():
        db.add(BatchJob(id="bj_interrupted01", organisation_id=tenant.organisation_id, status="running",
                        params={"k": 3, "allocate": False, "options": {}}, progress={"blocks_done": 0}, attempts=1))
    assert resume_batch_jobs(batch_app) == ["bj_interrupted01"]
    batch_runner(batch_app).wait("bj_interrupted01", timeout=60)
    job = _wait(client, tenant, "bj_interrupted01")
    assert job["status"] == "succeeded" and job["attempts"] == 2


def test_results_of_an_unfinished_job_are_409(batch_app, client, tenant):
    with make_sessionmaker(batch_app.state.engine)() as db, db.begin():
        db.add(BatchJob(id="bj_queued0000001", organisation_id=tenant.organisation_id, status="failed",
                        params={"k": 3, "allocate": False, "options": {}}, progress={}, attempts=1))
    response = client.get("/v1/batch-jobs/bj_queued0000001/results", headers=tenant.headers(Role.analyst))
    assert response.status_code == 409


def test_an_organisation_without_vacancies_gets_a_failed_job_with_the_reason(batch_app, client, tenant):
    client.post("/v1/persons", json={"external_id": "only"}, headers=tenant.headers())
    job = client.post("/v1/batch-jobs", json={}, headers=tenant.headers(Role.admin)).json()
    done = _wait(client, tenant, job["id"])
    assert done["status"] == "failed" and "0 vacancies" in done["error"]


def test_a_csv_made_on_request_is_the_one_the_run_would_have_written(tmp_path):
    from api.batch.jobs import result_file
    from api.batch.runner import BatchOptions, run_batch
    from api.services.matching import occupation_frame, occupation_table
    from matching.batch.synthetic import generate_seekers, generate_vacancies

    occ = occupation_frame()
    out = tmp_path / "batch-jobs" / "job-1" / "result"
    run_batch(generate_seekers(occ, 300, seed=2), generate_vacancies(occ, 400, seed=2), out, occupation_table(),
              BatchOptions(k=5, allocate=True, formats=("parquet", "csv")))
    for table in ("recommendations", "referrals", "allocation", "seeker_stats"):
        written = (out / f"{table}.csv").read_bytes()
        (out / f"{table}.csv").unlink()
        made = result_file(tmp_path, "job-1", table, "csv")
        assert made.read_bytes() == written, table
    assert not result_file(tmp_path, "job-1", "nothing", "csv").exists()


def _household_of_first_two(client, tenant) -> list[str]:
    people = client.get("/v1/persons", params={"limit": 10}, headers=tenant.headers()).json()["items"]
    members = [p["id"] for p in people if p["external_id"] in ("B-0", "B-1")]
    household = client.post("/v1/households", json={"district": "朝阳区", "members": []}, headers=tenant.headers())
    assert household.status_code == 201, household.text
    for person_id in members:
        added = client.post(f"/v1/households/{household.json()['id']}/members", json={"person_id": person_id},
                            headers=tenant.headers())
        assert added.status_code in (200, 201), added.text
    return members


def test_database_inputs_mark_the_members_of_a_zero_employment_household(batch_app, client, tenant):
    _setup(client, tenant)
    members = _household_of_first_two(client, tenant)
    with make_sessionmaker(batch_app.state.engine)() as db:
        seekers, _ = organisation_frames(db, tenant.organisation_id, StatusRules.from_settings(batch_app.state.settings))
    marked = seekers.set_index("id")
    assert marked.loc[members, "household_id"].nunique() == 1
    assert marked.loc[members, "zero_employment_family"].all()
    assert marked.drop(index=members)["household_id"].isna().all()


def test_a_job_gives_the_family_weight_to_one_member_of_a_zero_employment_household(batch_app, client, tenant):
    _setup(client, tenant)
    members = _household_of_first_two(client, tenant)
    created = client.post("/v1/batch-jobs", json={"k": 3, "allocate": True}, headers=tenant.headers(Role.analyst))
    job = _wait(client, tenant, created.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    csv = client.get(f"/v1/batch-jobs/{job['id']}/results", params={"format": "csv", "table": "allocation"},
                     headers=tenant.headers(Role.analyst))
    weights = pd.read_csv(io.StringIO(csv.text)).groupby("seeker_id")["priority_weight"].first()
    family = weights[weights.index.isin(members)]
    assert (family == 1.5).sum() <= 1 and (weights[~weights.index.isin(members)] == 1.0).all()
    assert len(family) == 2 and sorted(family.tolist()) == [1.0, 1.5]


def _activate_model(batch_app, tenant) -> str:
    """An active outcome model version for the tenant (fitted on made-up rows); returns its id."""
    version_id = new_id("om")
    with make_sessionmaker(batch_app.state.engine)() as db, db.begin():
        db.add(OutcomeModelVersion(id=version_id, organisation_id=tenant.organisation_id, version=4, status="active",
                                   trained_by="test", estimator="logistic", training_rows=4000, metrics={},
                                   decision="test", model=commute_model().to_bytes()))
    return version_id


def test_a_job_allocates_by_expected_benefit_under_the_model_active_when_it_was_created(batch_app, client, tenant):
    _setup(client, tenant)
    version_id = _activate_model(batch_app, tenant)
    created = client.post("/v1/batch-jobs", json={"k": 3, "allocate": True}, headers=tenant.headers(Role.analyst))
    assert created.json()["params"]["outcome_model_version"] == version_id
    job = _wait(client, tenant, created.json()["id"])
    assert job["status"] == "succeeded", job["error"]
    objective = job["summary"]["recommendations_after_allocation"]["objective"]
    assert objective["ranking"] == "expected_benefit" and objective["outcome_model"] == "outcome model v4"
    csv = client.get(f"/v1/batch-jobs/{job['id']}/results", params={"format": "csv", "table": "allocation"},
                     headers=tenant.headers(Role.analyst))
    assert pd.read_csv(io.StringIO(csv.text))["p_lasting"].between(0, 1).all()


def test_a_hand_set_job_leaves_the_active_model_out(batch_app, client, tenant):
    _setup(client, tenant)
    _activate_model(batch_app, tenant)
    created = client.post("/v1/batch-jobs", json={"k": 3, "allocate": True, "ranking": "hand_set"},
                          headers=tenant.headers(Role.analyst))
    assert created.json()["params"]["outcome_model_version"] is None
    job = _wait(client, tenant, created.json()["id"])
    assert job["summary"]["recommendations_after_allocation"]["objective"] == {"ranking": "hand_set"}


def test_an_unknown_ranking_is_a_422_naming_the_field(batch_app, client, tenant):
    r = client.post("/v1/batch-jobs", json={"k": 3, "allocate": True, "ranking": "hire_probability"},
                    headers=tenant.headers(Role.analyst))
    assert r.status_code == 422 and "ranking" in r.text


def test_database_inputs_carry_the_referrals_made_to_each_vacancy(batch_app, client, tenant):
    _setup(client, tenant, n_people=3)
    people = client.get("/v1/persons", params={"limit": 10}, headers=tenant.headers()).json()["items"]
    vacancies = client.get("/v1/vacancies", params={"limit": 10}, headers=tenant.headers()).json()["items"]
    target = next(v for v in vacancies if v["external_id"] == "V-2")
    for person in people[:2]:
        r = client.post("/v1/referrals", json={"person_id": person["id"], "vacancy_id": target["id"],
                                               "source": "counsellor", "referred_on": str(date.today())},
                        headers=tenant.headers())
        assert r.status_code == 201, r.text
    with make_sessionmaker(batch_app.state.engine)() as db:
        _, frame = organisation_frames(db, tenant.organisation_id, StatusRules.from_settings(batch_app.state.settings))
    counts = frame.set_index("external_id")["referrals_so_far"]
    assert counts.to_dict() == {"V-1": 0, "V-2": 2, "V-3": 0}
    assert frame["posted_on"].notna().all()   # the creation day where no posting day was given
