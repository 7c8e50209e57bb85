"""Time-split evaluation of hand-set, learned and oracle rankings on a simulated centre (issue 17,
item 4), shared by ``bench/bench_outcome_learning.py`` and ``pathfit outcomes evaluate --simulated``.

Windows (days since the start of the two years, ``Split``):

- the logging policy (hand-set ranking with ``exploration_share`` explored positions) runs over all
  730 days and is what the centre records;
- the model is fitted on referrals made in [0, 330) and selected + calibrated on [330, 420);
  referrals made in [420, 540) are not used: at day 540, when the model is built, their 3-month
  outcomes are not known yet;
- evaluation: the people who arrive in [540, 730). Each person arrives once, so these people are
  none of the training or validation people (``check_disjoint`` raises otherwise).

Figures on the evaluation people, from the simulator's true probabilities (expected values, no
extra sampling noise):

- hires@k and lasting-hires@k per person when each ranking is *deployed* for the evaluation
  window (every list comes from that ranking, so congestion follows it), starting from the
  referrals the logged run had made by day 540;
- AUC and calibration (expected calibration error over 10 quantile bins, and mean predicted −
  observed) on the logged referrals of the evaluation window against their drawn outcomes: the
  learned model's P(lasting), the oracle's true probability, and the hand-set total mapped to a
  probability by isotonic regression fitted on the validation window;
- off-policy estimates (IPS, SNIPS, DR) of the learned ranking's lasting-hires@k and hires@k from
  the logged exploration of the evaluation window, and the truth they estimate (the learned lists
  with the logged context; see ``matching.outcomes.offpolicy``);
- fairness by gender and age band (``matching.outcomes.fairness``).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.isotonic import IsotonicRegression
from sklearn.metrics import roc_auc_score

from matching.batch.schema import age_band
from matching.outcomes.fairness import four_fifths, group_calibration, recommended_with_good_chance
from matching.outcomes.model import OutcomeModel
from matching.outcomes.objective import DEFAULT_CONGESTION_WEIGHT, expected_benefit, expected_competition
from matching.outcomes.offpolicy import estimate
from matching.outcomes.simulator import DAYS, World, handset_scorer, oracle_scorer, run_policy

REFERENCE_YEAR = 2026   # the synthetic seekers' birth years count back from it


@dataclass(frozen=True)
class Split:
    """Day boundaries: fit [0, train_to), validate [train_to, valid_to), evaluate [test_from, days)."""

    train_to: int = 330
    valid_to: int = 420
    test_from: int = 540
    days: int = DAYS


def check_disjoint(train: pd.DataFrame, valid: pd.DataFrame, test: pd.DataFrame) -> None:
    """Raise ``ValueError`` if any person or (person, vacancy) referral of the evaluation rows is
    also in the training or validation rows, or if the windows are not in time order."""
    seen = set(train["person"]) | set(valid["person"])
    both = seen & set(test["person"])
    if both:
        raise ValueError(f"{len(both)} evaluation people are also training or validation people")
    if len(train) and len(valid) and train["day"].max() >= valid["day"].min():
        raise ValueError("validation referrals must all come after the training ones")
    if len(valid) and len(test) and valid["day"].max() >= test["day"].min():
        raise ValueError("evaluation referrals must all come after the validation ones")


def learned_scorer(model: OutcomeModel, congestion_weight: float = DEFAULT_CONGESTION_WEIGHT):
    """Expected benefit (``matching.outcomes.objective``) with the model's P(lasting hire)."""
    def score(rows: pd.DataFrame) -> np.ndarray:
        c = expected_competition(rows["referrals_before"], rows["days_open"], rows["days_left"], rows["openings"])
        return expected_benefit(rows["total"], model.predict(rows), c, congestion_weight)
    return score


def top_k_lists(rows: pd.DataFrame, score: np.ndarray, k: int) -> pd.DataFrame:
    """The rows each person's ranking by ``score`` puts in its top k (ties by row order)."""
    order = np.lexsort((np.arange(len(rows)), -score, rows["person"].to_numpy()))
    ranked = rows.iloc[order]
    return ranked[ranked.groupby("person").cumcount() < k]


def calibration_error(y: np.ndarray, p: np.ndarray, bins: int = 10) -> float:
    """Expected calibration error over quantile bins of p: Σ_b (n_b / n) |mean p_b − mean y_b|."""
    edges = np.unique(np.quantile(p, np.linspace(0, 1, bins + 1)))
    b = np.clip(np.searchsorted(edges, p, side="right") - 1, 0, len(edges) - 2)
    n = np.bincount(b, minlength=len(edges) - 1)
    gap = np.abs(np.bincount(b, weights=p, minlength=len(n)) - np.bincount(b, weights=y, minlength=len(n)))
    return float(gap.sum() / len(y))


def date_windows(rows: pd.DataFrame, shares: tuple[float, float] = (0.6, 0.8)
                 ) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Training, validation and comparison windows of recorded referrals by ``referred_on``: the
    earliest 60 %, the next 20 %, the latest 20 % (a date on a boundary goes wholly to the earlier
    window, so the windows stay in time order). People already in an earlier window are dropped from
    the later ones. Adds ``day`` (days since the first referral) and ``person`` (= ``person_id``)."""
    rows = rows.sort_values("referred_on", kind="stable").reset_index(drop=True)
    when = pd.to_datetime(rows["referred_on"])
    rows = rows.assign(day=(when - when.min()).dt.days, person=rows["person_id"])
    a, b = int(len(rows) * shares[0]), int(len(rows) * shares[1])
    cut_a = rows["day"].iloc[a - 1] if a else -1
    cut_b = rows["day"].iloc[b - 1] if b else -1
    train = rows[rows["day"] <= cut_a]
    valid = rows[(rows["day"] > cut_a) & (rows["day"] <= cut_b)]
    valid = valid[~valid["person"].isin(set(train["person"]))]
    test = rows[rows["day"] > cut_b]
    test = test[~test["person"].isin(set(train["person"]) | set(valid["person"]))]
    return train, valid, test


def weighted_auc(y: np.ndarray, score: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """AUC (Mann–Whitney, ties count one half) of ``score`` for 0/1 ``y`` under each row of
    ``weights`` (B, n) → (B,)."""
    order = np.argsort(score, kind="stable")
    s, pos = score[order], y[order].astype(bool)
    w = weights[:, order].astype(float)
    first = np.r_[True, s[1:] != s[:-1]]
    group = np.cumsum(first) - 1                                   # tie group of each sorted row
    neg_w = np.where(pos, 0.0, w)
    neg_in_group = np.zeros((w.shape[0], group[-1] + 1))
    np.add.at(neg_in_group, (slice(None), group), neg_w)
    below = np.cumsum(neg_in_group, axis=1) - neg_in_group           # negatives strictly below each group
    credit = below[:, group] + 0.5 * neg_in_group[:, group]
    num = (np.where(pos, w, 0.0) * credit).sum(1)
    den = np.where(pos, w, 0.0).sum(1) * neg_w.sum(1)
    return np.divide(num, den, out=np.full(len(num), np.nan), where=den > 0)


def auc_difference(y: np.ndarray, new: np.ndarray, old: np.ndarray, people: np.ndarray, *, n_boot: int = 500,
                   level: float = 0.95, seed: int = 0) -> dict[str, float]:
    """AUC(new) − AUC(old) for 0/1 ``y`` with a percentile bootstrap interval, people resampled
    (a person drawn c times counts c times)."""
    y = np.asarray(y, dtype=int)
    one = np.ones((1, len(y)))
    diff = float(weighted_auc(y, new, one)[0] - weighted_auc(y, old, one)[0])
    _, index = np.unique(people, return_inverse=True)
    n = index.max() + 1
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, n, (n_boot, n))
    counts = np.zeros((n_boot, n))
    np.add.at(counts, (np.arange(n_boot)[:, None], draws), 1.0)
    w = counts[:, index]
    boots = weighted_auc(y, new, w) - weighted_auc(y, old, w)
    boots = boots[~np.isnan(boots)]
    lo, hi = np.quantile(boots, [(1 - level) / 2, (1 + level) / 2])
    return {"difference": diff, "low": float(lo), "high": float(hi)}


def _scores(y: np.ndarray, p: np.ndarray) -> dict[str, float]:
    return {"auc": float(roc_auc_score(y, p)), "ece": calibration_error(y, p), "mean_gap": float(p.mean() - y.mean())}


def _deployed(run: pd.DataFrame) -> dict[str, float]:
    shown, n = run[run["shown"]], run["person"].nunique()
    return {"hires_at_k": float(shown["p_hire"].sum() / n), "lasting_hires_at_k": float(shown["p_lasting"].sum() / n)}


def evaluate_world(world: World, split: Split = Split(), *, congestion_weight: float = DEFAULT_CONGESTION_WEIGHT,
                   seed: int = 0, n_boot: int = 2000) -> tuple[dict, OutcomeModel]:
    """Every figure of the module docstring for one simulated centre, and the fitted model."""
    k = world.config.k
    log, _ = run_policy(world, handset_scorer, exploration_share=world.config.exploration_share, seed=seed)
    shown = log[log["shown"]]
    train = shown[shown["day"] < split.train_to]
    valid = shown[(shown["day"] >= split.train_to) & (shown["day"] < split.valid_to)]
    test_log = log[log["day"] >= split.test_from]
    test_shown = test_log[test_log["shown"]]
    check_disjoint(train, valid, test_log)
    model = OutcomeModel(seed=seed).fit(train, train["lasting"], valid, valid["lasting"])
    start = np.bincount(shown.loc[shown["day"] < split.test_from, "vacancy"], minlength=len(world.vacancies))

    scorers = {"hand_set": handset_scorer, "learned": learned_scorer(model, congestion_weight),
               "oracle": oracle_scorer(world)}
    runs = {name: run_policy(world, s, from_day=split.test_from, to_day=split.days, referrals=start, seed=seed)[0]
            for name, s in scorers.items()}
    deployed = {name: _deployed(r) for name, r in runs.items()}

    y = test_shown["lasting"].to_numpy(dtype=float)
    iso = IsotonicRegression(out_of_bounds="clip").fit(valid["total"], valid["lasting"])
    prediction = {"hand_set": iso.predict(test_shown["total"]), "learned": model.predict(test_shown),
                  "oracle": test_shown["p_lasting"].to_numpy()}
    quality = {name: _scores(y, p) for name, p in prediction.items()}

    # Off-policy: the learned lists on the logged context of the evaluation window.
    p_test = model.predict(test_log)
    target_score = learned_scorer(model, congestion_weight)(test_log)
    target = top_k_lists(test_log.assign(q_hat=p_test), target_score, k)
    logged = test_shown.assign(q_hat=model.predict(test_shown))
    n_people = test_log["person"].nunique()
    lasting = estimate(logged, target, "lasting", q_hat="q_hat", n_boot=n_boot, seed=seed)
    hires = estimate(logged, target, "hired", n_boot=n_boot, seed=seed)
    ope = {"lasting_hires_at_k": {"truth": float(target["p_lasting"].sum() / n_people),
                                  **{m: e.as_dict() for m, e in lasting.items()}},
           "hires_at_k": {"truth": float(target["p_hire"].sum() / n_people),
                          **{m: e.as_dict() for m, e in hires.items()}}}
    for figures in ope.values():
        figures["covered"] = {m: bool(figures[m]["low"] <= figures["truth"] <= figures[m]["high"])
                              for m in figures if m != "truth"}

    fairness = _fairness(world, test_shown, prediction["learned"], runs, model, np.quantile(p_test, 0.75))
    metrics = {"deployed": deployed, "quality": quality, "off_policy": ope, "fairness": fairness,
               "chosen_estimator": model.kind_, "selection": model.selection_,
               "rows": {"train": len(train), "validation": len(valid), "evaluation_referrals": len(test_shown),
                        "evaluation_people": int(n_people)}}
    return metrics, model


def _fairness(world: World, test_shown: pd.DataFrame, p_learned: np.ndarray, runs: dict[str, pd.DataFrame],
              model: OutcomeModel, threshold: float) -> dict:
    people = world.people
    attrs = {"gender": people["gender"].fillna("unknown").to_numpy(dtype=object),
             "age_band": pd.Series(age_band(people["birth_year"].to_numpy(dtype=float), REFERENCE_YEAR),
                                   dtype=object).fillna("unknown").to_numpy(dtype=object)}
    out: dict = {"good_chance_threshold": float(threshold)}
    for name, attr in attrs.items():
        per_ref = attr[test_shown["person"].to_numpy()]
        entry = {"calibration": group_calibration(per_ref, test_shown["lasting"].to_numpy(dtype=float), p_learned)}
        for policy in ("hand_set", "learned"):
            listed = runs[policy][runs[policy]["shown"]]
            good = recommended_with_good_chance(listed["person"].to_numpy(), model.predict(listed), threshold)
            all_people = runs[policy]["person"].unique()
            good = good.reindex(all_people, fill_value=False)
            entry[f"four_fifths_{policy}"] = four_fifths(attr[good.index.to_numpy()], good.to_numpy())
            lasting = listed.groupby("person")["p_lasting"].sum().reindex(all_people, fill_value=0.0)
            entry[f"lasting_hires_at_k_{policy}"] = lasting.groupby(attr[lasting.index.to_numpy()]).mean().to_dict()
        out[name] = entry
    return out


__all__ = ["REFERENCE_YEAR", "Split", "auc_difference", "calibration_error", "check_disjoint", "date_windows",
           "evaluate_world", "learned_scorer", "top_k_lists", "weighted_auc"]
