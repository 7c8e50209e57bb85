import numpy as np
import pandas as pd
import pytest

from matching.outcomes.exploration import explore
from matching.outcomes.offpolicy import estimate


def _logged_world(n_people=4000, m=20, k=5, share=0.2, seed=0):
    """People with m items each, reward chances known; the logging policy ranks by item index,
    the target policy by the true chance (so the two lists differ)."""
    rng = np.random.default_rng(seed)
    chance = rng.beta(1, 6, (n_people, m))
    cols = {name: [] for name in ("person", "vacancy", "propensity", "reward", "q_hat")}
    best = np.argsort(-chance, axis=1)[:, :k]
    for i in range(n_people):
        slate = explore(np.arange(m), k, share, rng)
        for name, x in (("person", np.full(k, i)), ("vacancy", slate.items), ("propensity", slate.propensity),
                        ("reward", (rng.random(k) < chance[i, slate.items]).astype(float)),
                        ("q_hat", 0.8 * chance[i, slate.items])):
            cols[name].append(x)
    logged = pd.DataFrame({name: np.concatenate(xs) for name, xs in cols.items()})
    target = pd.DataFrame({"person": np.repeat(np.arange(n_people), k), "vacancy": best.ravel(),
                           "q_hat": 0.8 * np.take_along_axis(chance, best, axis=1).ravel()})
    truth = float(np.sort(chance, axis=1)[:, ::-1][:, :k].sum(1).mean())
    return logged, target, truth


def test_every_estimator_interval_covers_the_true_value_of_a_different_ranking():
    logged, target, truth = _logged_world()
    est = estimate(logged, target, "reward", q_hat="q_hat", n_boot=500)
    assert set(est) == {"ips", "snips", "dr"}
    for e in est.values():
        assert e.covers(truth), (e, truth)


def test_with_the_logged_lists_and_propensity_one_ips_is_the_observed_mean():
    logged = pd.DataFrame({"person": [0, 0, 1], "vacancy": [1, 2, 1], "propensity": [1.0, 1.0, 1.0],
                           "reward": [1.0, 0.0, 1.0]})
    est = estimate(logged, logged[["person", "vacancy"]], "reward", n_boot=50)
    assert est["ips"].value == pytest.approx(1.0) and est["snips"].value == pytest.approx(1.0)


def test_a_logged_person_without_a_target_list_is_refused():
    logged = pd.DataFrame({"person": [0, 1], "vacancy": [1, 1], "propensity": [1.0, 1.0], "reward": [1.0, 0.0]})
    with pytest.raises(ValueError, match="no target list"):
        estimate(logged, logged.iloc[:1][["person", "vacancy"]], "reward")


def test_a_missing_propensity_is_refused():
    logged = pd.DataFrame({"person": [0], "vacancy": [1], "propensity": [np.nan], "reward": [1.0]})
    with pytest.raises(ValueError, match="propensity"):
        estimate(logged, logged[["person", "vacancy"]], "reward")
