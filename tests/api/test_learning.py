"""Training outcome models: a version is activated only when it beats the ranking in use offline;
otherwise it is stored as rejected and the hand-set ranking stays."""
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from scipy.special import expit
from sqlalchemy import select
from typer.testing import CliRunner

from api.cli.outcomes import app as cli
from api.db import make_engine, make_sessionmaker
from api.errors import Problem
from api.services import learning
from api.settings import get_settings
from matching.outcomes.evaluation import date_windows
from matching.outcomes.model import FEATURES
from models.tables import AuditLog
from models.tables_learning import OutcomeModelVersion


def labelled(n: int = 3000, informative: bool = True, seed: int = 0) -> pd.DataFrame:
    """Referrals over a year, 3 per person; lasting hires driven by interest and commute when
    ``informative``, pure chance otherwise. The hand-set total is unrelated to the outcome."""
    rng = np.random.default_rng(seed)
    rows = pd.DataFrame({c: rng.uniform(0, 1, n) for c in FEATURES})
    rows["commute_minutes"] = rng.uniform(5, 90, n)
    rows["openings"] = rng.integers(1, 6, n).astype(float)
    rows["days_open"] = rng.integers(0, 60, n).astype(float)
    rows["referrals_per_opening"] = rng.uniform(0, 5, n)
    rows["total"] = rng.uniform(30, 90, n)
    rows["person_id"] = [f"p_{i // 3:05d}" for i in range(n)]
    days = np.sort(rng.integers(0, 365, n // 3)).repeat(3)
    rows["referred_on"] = [date(2026, 1, 1) + timedelta(days=int(d)) for d in days]
    logit = (4.0 * (rows["interest"] - 0.5) - 0.04 * (rows["commute_minutes"] - 45) - 1.8) if informative \
        else np.full(n, -1.8)
    rows["lasting"] = (rng.random(n) < expit(logit)).astype(int)
    return rows


@pytest.fixture
def session(app, tenant):
    with make_sessionmaker(app.state.engine)() as s:
        yield s
        s.rollback()


def test_a_model_that_beats_the_hand_set_ranking_becomes_active(session, tenant):
    version = learning.train_version(session, tenant.organisation_id, labelled(), trained_by="test")
    assert version.status == "active" and version.version == 1
    assert learning.active_model(session, tenant.organisation_id) is not None
    assert version.metrics["comparison"]["against"] == "hand-set ranking"


def test_a_model_that_does_not_beat_the_hand_set_ranking_is_rejected_and_none_is_active(session, tenant):
    version = learning.train_version(session, tenant.organisation_id, labelled(informative=False), trained_by="test")
    assert version.status == "rejected" and version.decision.startswith("rejected")
    assert learning.active_version(session, tenant.organisation_id) is None


def test_a_later_version_is_compared_with_the_active_one_and_keeps_it_when_no_better(session, tenant):
    first = learning.train_version(session, tenant.organisation_id, labelled(seed=1), trained_by="test")
    second = learning.train_version(session, tenant.organisation_id, labelled(seed=2), trained_by="test")
    assert second.metrics["comparison"]["against"] == "active version 1"
    assert second.status == "rejected"
    assert learning.active_version(session, tenant.organisation_id).id == first.id


def test_the_comparison_people_are_none_of_the_training_or_validation_people(session, tenant):
    version = learning.train_version(session, tenant.organisation_id, labelled(), trained_by="test")
    w = version.metrics["windows"]
    assert w["training"]["to"] < w["validation"]["from"] and w["validation"]["to"] < w["comparison"]["from"]
    train, valid, test = date_windows(labelled())
    assert not set(test["person_id"]) & (set(train["person_id"]) | set(valid["person_id"]))


def test_too_few_outcomes_are_refused_and_nothing_is_stored(session, tenant):
    with pytest.raises(Problem) as exc:
        learning.train_version(session, tenant.organisation_id, labelled(n=150), trained_by="test")
    assert exc.value.status == 422 and "at least" in exc.value.detail
    assert learning.versions(session, tenant.organisation_id) == []


def test_a_protected_attribute_in_the_training_rows_is_refused(session, tenant):
    rows = labelled().assign(gender="female")
    with pytest.raises(Problem) as exc:
        learning.train_version(session, tenant.organisation_id, rows, trained_by="test")
    assert exc.value.status == 422 and "gender" in exc.value.detail


def test_missing_columns_are_named(session, tenant):
    with pytest.raises(Problem) as exc:
        learning.train_version(session, tenant.organisation_id, labelled().drop(columns=["lasting"]), trained_by="t")
    assert exc.value.errors == [{"field": "rows.lasting", "message": "required column is missing"}]


def test_fairness_groups_are_audited_in_the_model_card_but_never_features(session, tenant):
    rows = labelled()
    groups = {"gender": np.where(np.arange(len(rows)) % 2 == 0, "female", "male")}
    version = learning.train_version(session, tenant.organisation_id, rows, trained_by="test", groups=groups)
    card = version.metrics["model_card"]
    assert set(card["fairness"]["gender"]) == {"female", "male"}
    assert "gender" in card["never_features"] and "gender" not in card["features"]


def test_training_is_due_only_when_the_schedule_is_set_and_the_latest_version_is_old(session, tenant):
    org = tenant.organisation_id
    assert not learning.training_due(session, org, None)
    assert learning.training_due(session, org, 30)
    version = learning.train_version(session, org, labelled(), trained_by="test")
    assert not learning.training_due(session, org, 30, now=version.trained_at + timedelta(days=29))
    assert learning.training_due(session, org, 30, now=version.trained_at + timedelta(days=30))


def test_the_cli_trains_stores_and_lists_a_version(cli_organisation, tmp_path):
    runner, org = CliRunner(), cli_organisation
    path = tmp_path / "referrals.csv"
    labelled().to_csv(path, index=False)
    trained = runner.invoke(cli, ["train", "--org", org, "--from", str(path)])
    assert trained.exit_code == 0, trained.output
    assert "version 1" in trained.output and "active" in trained.output
    listed = runner.invoke(cli, ["versions", "--org", org])
    assert listed.exit_code == 0 and "active" in listed.output
    skipped = runner.invoke(cli, ["train", "--org", org, "--from", str(path), "--if-due"])
    assert skipped.exit_code == 0 and "not due" in skipped.output


def test_cli_training_is_audited_with_the_people_whose_outcomes_it_read(cli_organisation, tmp_path):
    runner, org = CliRunner(), cli_organisation
    path = tmp_path / "referrals.csv"
    rows = labelled()
    rows.to_csv(path, index=False)
    assert runner.invoke(cli, ["train", "--org", org, "--from", str(path)]).exit_code == 0
    engine = make_engine(get_settings().database_url)
    with make_sessionmaker(engine)() as s:
        audit = s.scalars(select(AuditLog).where(AuditLog.resource == "outcome_model")).one()
    engine.dispose()
    assert audit.action == "train" and audit.organisation_id == org
    assert audit.detail["person_ids"] == sorted(rows["person_id"].unique().tolist())


def test_stored_versions_belong_to_their_organisation(session, tenant, make_tenant):
    other = make_tenant()
    learning.train_version(session, tenant.organisation_id, labelled(), trained_by="test")
    assert learning.versions(session, other.organisation_id) == []
    stored = session.scalars(select(OutcomeModelVersion).where(OutcomeModelVersion.organisation_id.in_(
        [tenant.organisation_id, other.organisation_id]))).all()
    assert [v.organisation_id for v in stored] == [tenant.organisation_id]
