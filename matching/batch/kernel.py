"""The batch kernel: a block of seekers × all vacancies → top-k vacancies per seeker and each
vacancy's top-k seekers within the block, with exactly the single-profile matcher's numbers.

It reports what ``matching.rank.score_vacancies`` computes, bit for bit, but computes it exactly
only for the pairs that can enter a list, so that a province (10⁵ seekers × 10⁴ vacancies, 10⁹
pairs) costs seconds rather than hours:

1. Reach pruning. A seeker with home coordinates and a commute limit L can only reach vacancies
   whose commute estimate is ≤ L, i.e. within ``km_max = (L − 10) · 20 / (1.3 · 60)`` great-circle
   km. Vacancies are sorted into latitude rows of 0.05° and by longitude within a row, so the
   candidates are a few contiguous ranges per seeker (a bounding box that contains the reach disc:
   the latitude half-width is km_max / 111.19 km, the longitude half-width that divided by the
   cosine of the most poleward latitude in the box, times 1.05, which covers the great circle's
   shortcut for any box narrower than 50°). Vacancies without coordinates, and seekers without
   coordinates or without a limit, are checked against everything. The exact eligibility rules
   then decide on the candidates, so pruning never changes a result; it only skips pairs that the
   commute rule would exclude anyway.
2. Eligibility by requirement class: vacancies equal on every non-commute rule (education,
   hours, shifts, physical demands, certificates, closing date) share one column of a (seeker ×
   class) matrix, so each candidate pair costs one lookup.
3. Screening (``matching.batch.screen``, compiled): per seeker, an approximate psychometric part
   against every distinct occupation profile the vacancies use (many CSCO occupations share one
   O*NET profile: 672 distinct among 1,631), then per candidate the class rule, the commute rule
   and, for eligible pairs, an approximate total within a proven ``screen.EPS`` of the exact one.
   (The experience term is added per candidate from an exact (seeker × occupation) row.)
   It keeps only the pairs within 2·EPS of the seeker's or the vacancy's k-th best approximate
   total (each vacancy's best k are heaps that may be carried from block to block), and the few
   pairs whose commute lies in a 10⁻⁶-minute band around the limit. Every candidate is decided,
   so ``n_eligible`` is exact.
4. The exact numbers, for the kept pairs only: the commute formula, the psychometric components
   of each distinct (seeker, profile) pair (``matching.components.psychometric_pairs``, the
   matrix's elementwise operations, so the same bits), the practical fit, the experience
   component of each pair (``matching.batch.experience``: the seeker's past jobs against the
   vacancy's occupation, its own columns because it depends on the code, not only the profile)
   and the total as ``matching.rank.combine`` sums them; then the exact top k both ways.

When some vacancy has no known occupation (the person's median over all profiles stands in for
it), a block takes the chunked path instead (``_score_block_chunked``): the psychometric matrix
per chunk of seekers, every eligible pair's exact total, and histogram thresholds before the
sorts. Both paths give ``score_block_unpruned``'s output, array for array
(``tests/matching/test_batch_kernel.py`` and ``test_batch_screen.py``; the former also compares
pair by pair with ``score_vacancies`` and the lists with ``rank_vacancies``). Memory per block:
the kept pairs, a (vacancies × k) heap and the seekers' (× requirement classes) matrix on the
screened path; ``max_pairs`` candidate pairs and ``max_people`` seekers per chunk plus a
(vacancies × ``TOP_BINS``) histogram on the chunked one.

Order: a seeker's vacancies by total descending, ties by vacancy position (as ``top_k``); a
vacancy's seekers by total descending, ties by the seeker's position in the whole pool.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import date

import numpy as np

from matching.components import (
    ACCESS_MINUTES,
    COMPONENTS,
    DETOUR_FACTOR,
    DOOR_TO_DOOR_KMH,
    PSYCHOMETRIC,
    OccupationTable,
    DEFAULT_COMMUTE_SCALE_MIN,
    EDUCATION_STEP_PENALTY,
    PAY_FLOOR_SHARE,
    distance_fit,
    education_fit,
    hours_fit,
    BROWN_GORE_S,
    PersonFeatures,
    nanmean_stack,
    pay_fit,
    person_features,
    psychometric_components,
    psychometric_pairs,
)
from matching.batch import screen
from matching.batch.experience import SimilarityCache, experience_matrix, experience_pairs, past_jobs
from matching.batch.topk import TOP_BINS, concat_parts, kth_lower_bound, merge_vacancy_top, ragged_top_k, top_bins
from matching.eligibility import district_ids, missing_certificates
from matching.prepared import REASON_BITS, PersonBlock
from matching.rank import VacancyPool, _weights_array, combine, weighted_sum
from models.match import FitWeights

GRID_CELL_DEG = 0.05          # latitude row height of the vacancy grid, degrees
KM_PER_DEG = 6371.0 * math.pi / 180.0   # great-circle km per degree of latitude (111.19)
GRID_MARGIN_DEG = 1e-4        # slack against rounding at the box edges (≈ 11 m)
LON_SPAN = 1000.0             # row key stride: key = row · 1000 + (lon + 180)
MAX_PAIRS = 250_000           # candidate pairs per chunk (small: the per-pair arrays stay in cache)
MAX_PEOPLE = 64               # seekers per chunk (psychometric matrices are people × profiles)
REFRESH_PAIRS = 2_000_000     # eligible pairs between updates of the vacancies' thresholds (chunked path)


@dataclass(frozen=True)
class VacancySide:
    """The vacancy pool prepared for the batch kernel; built once, broadcast to every worker.

    ``occ`` is the table the psychometric components are computed on (the distinct profiles the
    vacancies use, or the whole extended table when a vacancy has no known code or an
    occupation lacks descriptors, because then medians over all occupations are needed);
    ``vac_col`` maps each vacancy to its column (``occ.n`` = the person's median column).
    Experience depends on the occupation itself (its code and skills), not only on the profile,
    so it has columns of its own: ``exp_cols`` the rows of the pool's table the vacancies use (all
    rows when medians are needed), ``vac_ecol`` each vacancy's position among them (``exp_cols.size``
    = the median), ``similarity`` the run's cache of past-job similarities against that table.
    """

    pool: VacancyPool
    weights: np.ndarray           # (6,) normalised FitWeights in COMPONENTS order
    as_of: date | None
    as_of_year: int               # the year past jobs' recency is counted to (as ``score_vacancies``)
    occ: OccupationTable
    vac_col: np.ndarray           # (n_v,) int64
    median_column: bool
    grid_src: np.ndarray          # candidate sources: grid-sorted vacancies, then no-coordinate ones, then all
    grid_keys: np.ndarray         # (n_grid,) sorted row keys
    n_grid: int
    n_no_xy: int
    lat0: float
    hours_part: np.ndarray        # (n_v,) hours_fit per vacancy
    cert_rows: np.ndarray         # vacancies that require a certificate
    cert_pos: np.ndarray          # (n_v,) position in cert_rows or −1
    rad_lat: np.ndarray           # (n_v,) radians, and their cosine, for the commute estimate
    rad_lon: np.ndarray
    cos_lat: np.ndarray
    req_class: np.ndarray         # (n_v,) requirement class: vacancies equal on every non-commute rule
    req_rows: np.ndarray          # (n_class,) one vacancy of each class (its requirements are the class's)
    pay_lo: np.ndarray            # (n_v,) the ends of the pay range as ``pay_fit`` fills them in
    pay_hi: np.ndarray
    screen_rows: np.ndarray       # ``screen.vacancy_rows`` in ``grid_src`` order
    screen_occupation: tuple      # the profiles' ``OccupationFeatures`` as ``screen.screen`` takes them
    phi: np.ndarray               # ``screen.phi_table()``
    exp_cols: np.ndarray          # (n_e,) rows of ``pool.occupations`` with an experience column
    vac_ecol: np.ndarray          # (n_v,) int64 experience column of each vacancy
    similarity: SimilarityCache

    @property
    def n(self) -> int:
        return self.pool.n


def prepare_vacancies(pool: VacancyPool, weights: FitWeights | None = None, *,
                      as_of: date | None = None) -> VacancySide:
    """Prepare ``pool`` for ``score_block`` (grid, distinct profiles, per-vacancy parts)."""
    occ = pool.occupations
    partial_missing = any(g.any() and not g.all() for g in occ.missing().values())
    median_column = bool((pool.occ_idx < 0).any() or partial_missing)
    if median_column:
        table, vac_col = occ, np.where(pool.occ_idx >= 0, pool.occ_idx, occ.n).astype(np.int64)
    else:
        used = np.unique(pool.occ_idx)
        # Distinct profiles, compared on every array the components read (raw and derived), so
        # that sharing a column can never change a number.
        mat = np.concatenate([occ.riasec[used], occ.values[used], occ.styles[used], occ.apt_req[used],
                              occ.riasec_unit[used], occ.values_unit[used], occ.styles_unit[used],
                              occ.apt_weight[used], occ.riasec_code[used].astype(float)], axis=1)
        rows = np.ascontiguousarray(mat).view(np.dtype((np.void, mat.dtype.itemsize * mat.shape[1]))).ravel()
        _, first, inverse = np.unique(rows, return_index=True, return_inverse=True)
        keep = used[first]
        table = _table_rows(occ, keep)
        col_of_used = np.asarray(inverse).ravel()
        lookup = np.full(occ.n, -1, dtype=np.int64)
        lookup[used] = col_of_used
        vac_col = lookup[pool.occ_idx]
    exp_cols = np.arange(occ.n) if median_column else np.unique(pool.occ_idx)
    vac_ecol = (vac_col if median_column else np.searchsorted(exp_cols, pool.occ_idx)).astype(np.int64)
    items = pool.items
    has_xy = ~np.isnan(items.lat) & ~np.isnan(items.lon)
    xy = np.flatnonzero(has_xy)
    lat0 = float(items.lat[xy].min()) if xy.size else 0.0
    keys = (np.floor((items.lat[xy] - lat0) / GRID_CELL_DEG) * LON_SPAN + (items.lon[xy] + 180.0))
    order = np.argsort(keys, kind="stable")
    no_xy = np.flatnonzero(~has_xy)
    cert_rows = np.flatnonzero(np.diff(items.cert_req.indptr) > 0) if items.cert_vocab else np.zeros(0, np.int64)
    cert_pos = np.full(pool.n, -1, dtype=np.int64)
    cert_pos[cert_rows] = np.arange(cert_rows.size)
    hours_part = hours_fit(items.hours)
    pay_lo = np.where(np.isnan(pool.pay_min), pool.pay_max, pool.pay_min)
    pay_hi = np.where(np.isnan(pool.pay_max), pool.pay_min, pool.pay_max)
    grid_src = np.concatenate([xy[order], no_xy, np.arange(pool.n)]).astype(np.int64)
    classes = _requirement_classes(items, as_of)
    return VacancySide(
        pool=pool, weights=_weights_array(weights or FitWeights()), as_of=as_of,
        as_of_year=(as_of or date.today()).year, occ=table,
        vac_col=vac_col, median_column=median_column, grid_src=grid_src,
        grid_keys=keys[order], n_grid=int(xy.size), n_no_xy=int(no_xy.size), lat0=lat0,
        hours_part=hours_part, cert_rows=cert_rows, cert_pos=cert_pos,
        rad_lat=np.radians(items.lat), rad_lon=np.radians(items.lon), cos_lat=np.cos(np.radians(items.lat)),
        **classes,
        pay_lo=pay_lo, pay_hi=pay_hi,
        screen_rows=screen.vacancy_rows(grid_src, classes["req_class"], items.lat, items.lon, vac_col, vac_ecol,
                                        items.district, hours_part, pay_lo, pay_hi, pool.soft_edu_required),
        screen_occupation=_screen_occupation_inputs(table), phi=screen.phi_table(),
        exp_cols=exp_cols, vac_ecol=vac_ecol, similarity=SimilarityCache(occ),
    )


def _screen_occupation_inputs(occ: OccupationTable) -> tuple[np.ndarray, ...]:
    """The profiles' features feature-major (features × profiles), as ``screen`` reads them; an
    aptitude a profile does not describe gets weight 0 (and requirement 0)."""
    f = occ.features()
    gone = np.isnan(f.apt_req)
    t = lambda x: np.ascontiguousarray(x.T)  # noqa: E731
    return (t(np.where(gone, 0.0, f.apt_req)), t(np.where(gone, 0.0, f.apt_weight)), t(f.riasec),
            t(f.riasec_unit), t(f.riasec_code), np.ascontiguousarray(f.has_riasec), t(f.values_unit),
            t(f.values_extent), t(f.styles_unit), t(f.styles_weight), np.ascontiguousarray(f.styles_weight_sum),
            BROWN_GORE_S.astype(np.int64))


def _requirement_classes(items, as_of: date | None) -> dict[str, np.ndarray]:
    """Group vacancies whose non-commute eligibility inputs are all equal (hard education minimum,
    hours, shifts, physical demands, required certificates, closed at ``as_of``): eligibility on
    those rules is then one (seeker × class) matrix per chunk and one lookup per pair. On the
    synthetic province 20,000 vacancies fall into a few hundred classes."""
    indptr = items.cert_req.indptr
    certs: dict[tuple, int] = {}
    cert_key = np.array([certs.setdefault(tuple(zip(items.cert_req.indices[a:b].tolist(),
                                                    items.cert_req.data[a:b].tolist())), len(certs))
                         for a, b in zip(indptr[:-1], indptr[1:])], dtype=float)
    closed = (items.closes < np.datetime64(as_of, "D")) if as_of is not None else np.zeros(items.hours.size, bool)
    nan = -1e300  # a sentinel for NaN, so that equal NaNs fall into one class
    key = np.column_stack([items.edu_hard.astype(float), np.nan_to_num(items.edu_min, nan=nan),
                           np.nan_to_num(items.hours, nan=nan), items.shift_mask.astype(float),
                           items.physical_mask.astype(float), closed.astype(float), cert_key])
    if key.shape[0] == 0:
        return {"req_class": np.zeros(0, np.int64), "req_rows": np.zeros(0, np.int64)}
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    return {"req_class": np.asarray(inverse).ravel().astype(np.int64), "req_rows": first.astype(np.int64)}


def _rows(a: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """``a[rows]`` in ``a``'s memory order: numpy's row sums (e.g. ``styles.sum(axis=1)`` in
    ``work_style_fit``) add in a different order on C- and Fortran-ordered arrays, and the
    subset must reproduce the full table's last bits."""
    out = a[rows]
    if a.ndim == 2 and a.flags.f_contiguous and not a.flags.c_contiguous:
        out = np.asfortranarray(out)
    return out


def _table_rows(occ: OccupationTable, rows: np.ndarray) -> OccupationTable:
    """Rows of an occupation table, derived arrays sliced (not recomputed), layout kept."""
    names = ("codes", "names_zh", "riasec", "values", "styles", "apt_req", "education", "job_zone", *occ.DERIVED,
             "phys", "skill_units", "family")
    take = {name: _rows(getattr(occ, name), rows) for name in names if getattr(occ, name) is not None}
    return replace(occ, **take, n_detailed=len(rows), index={c: i for i, c in enumerate(take["codes"])})


@dataclass(frozen=True)
class BlockResult:
    """What a block contributes. Seeker and vacancy numbers are positions in the whole pool.

    ``seeker_top``: columns ``seeker``, ``rank`` (1-based), ``vacancy``, ``total`` (0–100) and the
    six components (0–1, NaN = not computable; ``COMPONENTS`` order), sorted by seeker then rank.
    ``vacancy_top``: ``vacancy``, ``seeker``, ``total``: each vacancy's best k seekers of this block.
    ``seeker_stats``: ``seeker``, ``n_candidates`` (pairs checked after reach pruning),
    ``n_eligible`` (eligible vacancies), ``enough_information`` (False: no scores and no coded
    past job, so no candidates and no lists, as the single-profile matcher refuses to rank).
    """

    seeker_top: dict[str, np.ndarray]
    vacancy_top: dict[str, np.ndarray]
    seeker_stats: dict[str, np.ndarray]


def enough_information(persons: PersonBlock) -> np.ndarray:
    """(n_p,) bool: ``matching.matcher.has_enough_information`` on the arrays: scores of some part
    of the battery, or a coded past job. The matcher refuses to rank anyone else, so the batch
    gives them no candidates (no list, in no vacancy's list) rather than totals from constraints
    alone."""
    scored = np.zeros(persons.n, dtype=bool)
    for x in (persons.apt_t, persons.riasec, persons.big_five, persons.values):
        scored |= ~np.isnan(x).all(axis=1)
    if len(persons.history) == persons.n:
        scored |= np.array([len(h) > 0 for h in persons.history], dtype=bool)
    return scored


def _segments(persons: PersonBlock, side: VacancySide) -> tuple[np.ndarray, np.ndarray]:
    """(n_p, s) start and end positions in ``side.grid_src`` of each seeker's candidate ranges
    (empty for a seeker without ``enough_information``)."""
    n = persons.n
    limit = persons.max_commute
    has_xy = ~np.isnan(persons.lat) & ~np.isnan(persons.lon)
    grid = has_xy & ~np.isnan(limit)
    km = np.maximum(np.where(grid, limit, 0.0) - ACCESS_MINUTES, 0.0) * DOOR_TO_DOOR_KMH / (DETOUR_FACTOR * 60.0)
    dlat = km / KM_PER_DEG * 1.001 + GRID_MARGIN_DEG
    lat = np.where(grid, persons.lat, 0.0)
    lon = np.where(grid, persons.lon, 0.0)
    pole = np.radians(np.minimum(np.abs(lat) + dlat, 89.0))
    dlon = dlat / np.cos(pole) * 1.05 + GRID_MARGIN_DEG
    r_lo = np.floor((lat - dlat - side.lat0) / GRID_CELL_DEG)
    r_hi = np.floor((lat + dlat - side.lat0) / GRID_CELL_DEG)
    n_rows = int((r_hi - r_lo).max(initial=0)) + 1 if grid.any() else 0
    starts = np.zeros((n, n_rows + 1), dtype=np.int64)
    ends = np.zeros((n, n_rows + 1), dtype=np.int64)
    for o in range(n_rows):
        row = r_lo + o
        ok = grid & (row <= r_hi)
        lo = np.searchsorted(side.grid_keys, row * LON_SPAN + (lon + 180.0) - dlon, side="left")
        hi = np.searchsorted(side.grid_keys, row * LON_SPAN + (lon + 180.0) + dlon, side="right")
        starts[:, o] = np.where(ok, lo, 0)
        ends[:, o] = np.where(ok, hi, 0)
    g, x = side.n_grid, side.n_no_xy
    # Last column: vacancies without coordinates for grid seekers; everything for the others.
    starts[:, n_rows] = np.where(grid, g, g + x)
    ends[:, n_rows] = np.where(grid, g + x, g + x + side.n)
    ends = np.where(enough_information(persons)[:, None], ends, starts)
    return starts, ends


def _expand(starts: np.ndarray, ends: np.ndarray, src: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (local seeker, vacancy) from per-seeker ranges, grouped by seeker."""
    counts = (ends - starts).ravel()
    total = int(counts.sum())
    owner = np.repeat(np.arange(starts.shape[0]), starts.shape[1])
    i = np.repeat(owner, counts)
    offsets = np.repeat(starts.ravel() - (np.cumsum(counts) - counts), counts)
    j = src[offsets + np.arange(total, dtype=np.int64)]
    return i, j


def _pair_minutes(side: VacancySide, p: PersonBlock, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``commute_minutes`` for pairs, with the per-point radians and cosines computed once per
    seeker and per vacancy (as the dense kernel's broadcasting does) and the rest of
    ``great_circle_km`` written out in the same order of operations, in place (``x **= 2`` is
    numpy's square, as ``x ** 2`` is; ``2.0 * 6371.0 * x`` is ``12742.0 * x``)."""
    lat = np.radians(p.lat)
    h = np.take(side.rad_lat, j)
    h -= np.take(lat, i)                                   # dphi
    h /= 2.0
    np.sin(h, out=h)
    h **= 2
    t = np.take(side.rad_lon, j)
    t -= np.take(np.radians(p.lon), i)                     # dlmb
    t /= 2.0
    np.sin(t, out=t)
    t **= 2
    c = np.take(np.cos(lat), i)
    c *= np.take(side.cos_lat, j)
    c *= t
    h += c
    np.minimum(h, 1.0, out=h)
    np.sqrt(h, out=h)
    np.arcsin(h, out=h)
    h *= 2.0 * 6371.0                                      # km
    h *= DETOUR_FACTOR
    h /= DOOR_TO_DOOR_KMH
    h *= 60.0
    h += ACCESS_MINUTES
    return h


def _pair_eligibility(p: PersonBlock, side: VacancySide, i: np.ndarray, j: np.ndarray,
                      minutes: np.ndarray, same: np.ndarray) -> np.ndarray:
    """``matching.eligibility.eligibility`` for a list of pairs; bit for bit the same mask."""
    items = side.pool.items
    fail = np.zeros(i.size, dtype=np.uint8)
    if items.cert_vocab:
        pos = side.cert_pos[j]
        need = pos >= 0
        if need.any():
            missing = missing_certificates(p, items, side.cert_rows)   # (n_p, n_cert_rows)
            lacks = np.zeros(i.size, dtype=bool)
            lacks[need] = missing[i[need], pos[need]] > 0
            fail |= np.where(lacks, REASON_BITS["certificate"], 0).astype(np.uint8)
    edu_fail = items.edu_hard[j] & (items.edu_min[j] > p.education[i])
    fail |= np.where(edu_fail, REASON_BITS["education"], 0).astype(np.uint8)
    fail |= np.where(items.hours[j] > p.max_hours[i], REASON_BITS["hours"], 0).astype(np.uint8)
    pm = p.shift_mask[i]
    fail |= np.where((pm != 0) & ((items.shift_mask[j] & ~pm) != 0), REASON_BITS["shift"], 0).astype(np.uint8)
    limit = p.max_commute[i]
    too_far = np.where(np.isnan(minutes), (same == 0) & ~np.isnan(limit), minutes > limit)
    fail |= np.where(too_far, REASON_BITS["commute"], 0).astype(np.uint8)
    fail |= np.where((items.physical_mask[j] & p.physical_mask[i]) != 0, REASON_BITS["physical"], 0).astype(np.uint8)
    if side.as_of is not None:
        closed = items.closes[j] < np.datetime64(side.as_of, "D")
        fail |= np.where(closed, REASON_BITS["closed"], 0).astype(np.uint8)
    return fail


def _psychometric_part(p: PersonBlock, side: VacancySide) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Per (seeker, profile column): the components and the psychometric numerator and
    denominator of ``combine`` (same operations, same order); ``"experience"`` per (seeker,
    experience column), with the median column too where ``side.median_column``."""
    psych = psychometric_components(p, side.occ)
    psych["experience"] = experience_matrix(past_jobs(p, side.similarity, side.exp_cols, side.as_of_year))
    if side.median_column:
        n_det = side.occ.n_detailed
        psych = {name: np.concatenate([x, np.median(x[:, :n_det], axis=1, keepdims=True)], axis=1)
                 for name, x in psych.items()}
    return (psych, *weighted_sum(psych, side.weights, PSYCHOMETRIC))



def _chunks(counts: np.ndarray, max_pairs: int, max_people: int) -> list[tuple[int, int]]:
    out, a, n = [], 0, counts.size
    csum = np.concatenate([[0], np.cumsum(counts)])
    while a < n:
        b = int(np.searchsorted(csum, csum[a] + max_pairs, side="right")) - 1
        b = min(max(b, a + 1), a + max_people, n)
        out.append((a, b))
        a = b
    return out


def _take(p: PersonBlock, a: int, b: int) -> PersonBlock:
    s = slice(a, b)
    history = p.history[s] if len(p.history) == p.n else p.history
    return replace(p, ids=p.ids[s], history=history, apt_t=p.apt_t[s], apt_se=p.apt_se[s], riasec=p.riasec[s],
                   big_five=p.big_five[s], values=p.values[s], education=p.education[s],
                   district=p.district[s], lat=p.lat[s], lon=p.lon[s], expected_pay=p.expected_pay[s],
                   max_hours=p.max_hours[s], max_commute=p.max_commute[s], shift_mask=p.shift_mask[s],
                   physical_mask=p.physical_mask[s], certificates=p.certificates[s],
                   interested=p.interested[s])




def _class_eligible(p: PersonBlock, side: VacancySide) -> np.ndarray:
    """(n_p, n_class) bool: the non-commute rules of ``_pair_eligibility`` for each seeker and
    requirement class (the same comparisons, on the class's representative vacancy). Seekers
    equal on every input of those rules (education, hours, shifts, limitations, the certificates
    the vacancies name) share a row, computed once: a block of 5,000 has a few hundred kinds."""
    if p.n == 0:
        return _class_rules(p, side)
    vocab = side.pool.items.cert_vocab or {}
    held: dict[tuple, int] = {}
    certs = [held.setdefault(tuple(sorted(vocab[c] for c in x if c in vocab)), len(held)) for x in p.certificates]
    key = np.column_stack([np.isnan(p.education), np.nan_to_num(p.education), np.isnan(p.max_hours),
                           np.nan_to_num(p.max_hours), p.shift_mask, p.physical_mask,
                           np.asarray(certs, dtype=float)])
    _, first, inverse = np.unique(key, axis=0, return_index=True, return_inverse=True)
    kinds = replace(p, ids=p.ids[first], education=p.education[first], max_hours=p.max_hours[first],
                    shift_mask=p.shift_mask[first], physical_mask=p.physical_mask[first],
                    certificates=tuple(p.certificates[f] for f in first))
    return _class_rules(kinds, side)[np.asarray(inverse).ravel()]


def _class_rules(p: PersonBlock, side: VacancySide) -> np.ndarray:
    """``_class_eligible`` for every seeker of ``p`` (reads ``ids``, ``education``, ``max_hours``,
    ``shift_mask``, ``physical_mask`` and ``certificates`` only)."""
    items, r = side.pool.items, side.req_rows
    edu, hours = p.education[:, None], p.max_hours[:, None]
    ok = ~(items.edu_hard[r] & (items.edu_min[r] > edu))
    ok &= ~(items.hours[r] > hours)
    pm = p.shift_mask[:, None]
    ok &= ~((pm != 0) & ((items.shift_mask[r] & ~pm) != 0))
    ok &= (items.physical_mask[r] & p.physical_mask[:, None]) == 0
    if side.as_of is not None:
        ok &= ~(items.closes[r] < np.datetime64(side.as_of, "D"))
    if items.cert_vocab:
        need = np.flatnonzero(np.diff(items.cert_req.indptr)[r] > 0)
        if need.size:
            ok[:, need] &= ~(missing_certificates(p, items, r[need]) > 0)
    return ok


def _pair_eligible(p: PersonBlock, side: VacancySide, i: np.ndarray, j: np.ndarray,
                   pid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The eligible pairs, i.e. where ``_pair_eligibility(...) == 0`` (the same rules, the same
    mask): the non-commute rules by requirement class (``_class_eligible``), then the commute
    estimate only on the pairs that pass them. Returns (positions of the eligible pairs, their
    ``_pair_minutes``), the minutes being needed for the distance fit anyway."""
    items = side.pool.items
    by_class = _class_eligible(p, side)
    sub = np.flatnonzero(np.take(by_class, i * by_class.shape[1] + side.req_class[j]))
    ii, jj = i[sub], j[sub]
    minutes = _pair_minutes(side, p, ii, jj)
    limit = p.max_commute[ii]
    same = np.where(pid[ii] == -1, -1, (pid[ii] == items.district[jj]).astype(np.int8))
    near = ~np.where(np.isnan(minutes), (same == 0) & ~np.isnan(limit), minutes > limit)
    return sub[near], minutes[near]


def _pair_practical(p: PersonBlock, side: VacancySide, pid: np.ndarray, i: np.ndarray, j: np.ndarray,
                    minutes: np.ndarray) -> np.ndarray:
    """``nanmean_stack([distance_fit, hours_fit, pay_fit, education_fit])`` for pairs, as
    ``score_block_unpruned`` computes it: the same elementwise operations in the same order
    (``matching.components``), so the same bits (tests compare with the dense kernel)."""
    # nanmean_stack, in its order (the parts are this call's own arrays, zeroed in place).
    total = np.zeros(i.size)
    count = np.zeros(i.size)
    for part in _pair_practical_parts(p, side, pid, i, j, minutes):
        ok = ~np.isnan(part)
        part[~ok] = 0.0
        total += part
        count += ok
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(count > 0, total / np.where(count > 0, count, 1.0), np.nan)


def _pair_practical_parts(p: PersonBlock, side: VacancySide, pid: np.ndarray, i: np.ndarray, j: np.ndarray,
                          minutes: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(distance, hours, pay, education) fits (0–1, NaN = unknown) for pairs, with the per-seeker
    and per-vacancy pieces computed once and the per-pair steps in place."""
    items = side.pool.items
    # distance_fit: exp(−minutes / scale); by district where there are no coordinates.
    limit = p.max_commute
    scale = np.where(np.isnan(limit), DEFAULT_COMMUTE_SCALE_MIN, np.maximum(limit, 5.0))
    dist = np.negative(minutes)
    dist /= np.take(scale, i)
    np.exp(dist, out=dist)
    gone = np.flatnonzero(np.isnan(minutes))
    if gone.size:
        pg = pid[i[gone]]
        same = np.where(pg == -1, -1, (pg == items.district[j[gone]]).astype(np.int8))
        dist[gone] = np.where(same == 1, 0.8, np.where(same == 0, 0.3, np.nan))
    hours = np.take(side.hours_part, j)
    # pay_fit: ½·(clip((lo − 0.6E)/(0.4E)) + clip((hi − 0.6E)/(0.4E))).
    e = np.where(p.expected_pay > 0, p.expected_pay, np.nan)
    floor, span = np.take(PAY_FLOOR_SHARE * e, i), np.take((1.0 - PAY_FLOOR_SHARE) * e, i)
    pay = np.take(side.pay_lo, j)
    pay -= floor
    pay /= span
    np.clip(pay, 0.0, 1.0, out=pay)
    f_hi = np.take(side.pay_hi, j)
    f_hi -= floor
    f_hi /= span
    np.clip(f_hi, 0.0, 1.0, out=f_hi)
    pay += f_hi
    pay *= 0.5
    del floor, span, f_hi
    # education_fit: clip(1 − 0.35·max(required − rank, 0)).
    edu = np.take(side.pool.soft_edu_required, j)
    edu -= np.take(p.education, i)
    np.maximum(edu, 0.0, out=edu)
    edu *= EDUCATION_STEP_PENALTY
    np.subtract(1.0, edu, out=edu)
    np.clip(edu, 0.0, 1.0, out=edu)
    return dist, hours, pay, edu


def _pair_totals(p: PersonBlock, side: VacancySide, pid: np.ndarray, num: np.ndarray, den: np.ndarray,
                 i: np.ndarray, j: np.ndarray, minutes: np.ndarray, experience: np.ndarray
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(total, practical) of eligible pairs: ``combine`` of the psychometric part (each pair's
    numerator ``num`` and denominator ``den``, updated in place), the practical fit and the
    ``experience`` component, in ``COMPONENTS`` order, same operations as the dense kernel."""
    practical = _pair_practical(p, side, pid, i, j, minutes)
    for name, x in (("practical", practical), ("experience", experience)):
        w = side.weights[COMPONENTS.index(name)]
        ok = ~np.isnan(x)
        num += np.where(ok, w * x, 0.0)
        den += np.where(ok, w, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        total = np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), 50.0)
    return total, practical



def score_block(persons: PersonBlock, side: VacancySide, k: int = 20, *, offset: int = 0,
                heaps: screen.VacancyHeaps | None = None, max_pairs: int = MAX_PAIRS,
                max_people: int = MAX_PEOPLE) -> BlockResult:
    """Score ``persons`` (seekers ``offset … offset + n − 1`` of the pool) against ``side``.

    Returns each seeker's top ``k`` vacancies with totals and components, and each vacancy's top
    ``k`` seekers of this block (merge blocks with ``merge_vacancy_top``): the same output as
    ``score_block_unpruned``. With ``heaps`` carried over from earlier blocks (one
    ``screen.VacancyHeaps`` per worker), a vacancy's list holds only the seekers that can still
    be in its top ``k`` over all those blocks, which is all the merge needs and far fewer.

    Screened (``_score_block_screened``) unless some vacancy needs the person's median column
    (an uncoded vacancy), which takes the chunked path with histogram pruning
    (``_score_block_chunked``; ``max_pairs`` and ``max_people`` bound its chunks; ``heaps`` are
    not used there).
    """
    if side.median_column:
        return _score_block_chunked(persons, side, k, offset=offset, max_pairs=max_pairs, max_people=max_people)
    return _score_block_screened(persons, side, k, offset=offset, heaps=heaps)


def _score_block_chunked(persons: PersonBlock, side: VacancySide, k: int, *, offset: int,
                         max_pairs: int, max_people: int) -> BlockResult:
    """Score ``persons`` chunk by chunk, every eligible pair exactly, pruning before the sorts.

    Per chunk: eligibility of every candidate (the counts are reported; the commute estimate is
    kept for the distance fit), the exact total of every eligible pair, then thresholds from
    histograms of the totals (``TOP_BINS`` bins over 0–100): ``T_s``, a lower bound on each
    seeker's k-th best total (seekers are whole within a chunk), and ``T_v``, one on each
    vacancy's k-th best among the block's pairs so far (counts accumulate over the chunks, so
    it only rises). A pair with ``total < T_s`` and ``total < T_v`` is below both k-th bests,
    strictly, so it can enter neither list (not even by a tie) and is dropped; the exact sorts
    (``ragged_top_k``, ``merge_vacancy_top``) run on the rest.
    """
    items = side.pool.items
    n = persons.n
    starts, ends = _segments(persons, side)
    counts = (ends - starts).sum(axis=1)
    pid = district_ids(persons, items)
    n_elig = np.zeros(n, dtype=np.int64)
    v_counts = np.zeros(side.n * TOP_BINS, dtype=np.int64)
    t_v = np.full(side.n, -np.inf)
    pending: list[np.ndarray] = []   # histogram cells of the pairs not yet counted in v_counts
    n_pending = 0
    s_parts: list[dict[str, np.ndarray]] = []
    v_parts: list[dict[str, np.ndarray]] = []
    for a, b in _chunks(counts, max_pairs, max_people):
        p = _take(persons, a, b)
        i, j = _expand(starts[a:b], ends[a:b], side.grid_src)
        e, minutes = _pair_eligible(p, side, i, j, pid[a:b])
        i, j = i[e], j[e]
        del e
        n_elig[a:b] = np.bincount(i, minlength=b - a)
        if i.size == 0:
            continue
        psych, num4, den4 = _psychometric_part(p, side)
        flat = i * num4.shape[1] + side.vac_col[j]
        experience = psych["experience"][i, side.vac_ecol[j]]
        total, practical = _pair_totals(p, side, pid[a:b], np.take(num4, flat), np.take(den4, flat), i, j, minutes,
                                        experience)
        del minutes
        tb = top_bins(total)
        t_s = kth_lower_bound(np.bincount(i * TOP_BINS + tb, minlength=(b - a) * TOP_BINS).reshape(b - a, TOP_BINS), k)
        pending.append(j * TOP_BINS + tb)
        n_pending += tb.size
        del tb
        if n_pending >= REFRESH_PAIRS:  # a stale t_v is still a lower bound (counts only grow)
            v_counts += np.bincount(np.concatenate(pending), minlength=v_counts.size)
            t_v = kth_lower_bound(v_counts.reshape(side.n, TOP_BINS), k)
            pending, n_pending = [], 0
        # Seekers' top k (pairs are grouped by seeker already).
        ks = np.flatnonzero(total >= t_s[i])
        sel, rank = ragged_top_k(i[ks], total[ks], j[ks], k)
        sel = ks[sel]
        col = side.vac_col[j[sel]]
        part = {"seeker": i[sel] + a + offset, "rank": rank + 1, "vacancy": j[sel], "total": total[sel]}
        for name in PSYCHOMETRIC:
            part[name] = psych[name][i[sel], col]
        part["practical"] = practical[sel]
        part["experience"] = experience[sel]
        s_parts.append(part)
        kv = np.flatnonzero(total >= t_v[j])
        v_parts.append({"vacancy": j[kv], "seeker": i[kv] + a + offset, "total": total[kv]})
    seeker_top = concat_parts(s_parts, ["seeker", "rank", "vacancy", "total", *COMPONENTS],
                              [np.int64, np.int64, np.int64, float] + [float] * len(COMPONENTS))
    # Vacancies' top k over the block: earlier chunks' pairs against the final thresholds first.
    if pending:
        v_counts += np.bincount(np.concatenate(pending), minlength=v_counts.size)
    t_v = kth_lower_bound(v_counts.reshape(side.n, TOP_BINS), k)
    del v_counts, pending
    v_parts = [{name: x[keep] for name, x in part.items()}
               for part in v_parts for keep in [part["total"] >= t_v[part["vacancy"]]]]
    vacancy_top = merge_vacancy_top(v_parts, k)
    stats = {"seeker": np.arange(n, dtype=np.int64) + offset, "n_candidates": counts, "n_eligible": n_elig,
             "enough_information": enough_information(persons)}
    return BlockResult(seeker_top, vacancy_top, stats)


def _score_block_screened(persons: PersonBlock, side: VacancySide, k: int, *, offset: int,
                          heaps: screen.VacancyHeaps | None) -> BlockResult:
    """Screen every candidate pair with approximate totals (``matching.batch.screen``), then
    compute exactly, as the dense kernel does, only the pairs the screen keeps: those within
    2·``EPS`` of a seeker's or a vacancy's k-th best approximate total, and the few whose
    commute estimate lies in the band around the seeker's limit (decided here, exactly)."""
    items = side.pool.items
    if heaps is None:
        heaps = screen.VacancyHeaps(side.n, k)
    elif heaps.k != k or heaps.fill.size != side.n:
        raise ValueError(f"vacancy heaps are for k = {heaps.k} and {heaps.fill.size} vacancies; "
                         f"this block has k = {k} and {side.n}")
    starts, ends = _segments(persons, side)
    pid = district_ids(persons, items)
    features = person_features(persons.apt_t, persons.apt_se, persons.riasec, persons.values, persons.big_five)
    jobs = past_jobs(persons, side.similarity, side.exp_cols, side.as_of_year)
    n_elig, i, j, flags, ui, uj = screen.screen(
        screen.model_constants(), k, 2.0 * screen.EPS, starts, ends, side.screen_rows, heaps.heap, heaps.fill,
        _class_eligible(persons, side),
        *_screen_person_inputs(persons, pid), side.weights, side.phi,
        *_screen_feature_inputs(features), *side.screen_occupation,
        np.nan_to_num(jobs.weight), jobs.row, jobs.has, jobs.sim)
    # Pairs in the band around a commute limit: the exact rule (they passed every other rule).
    near = ~(_pair_minutes(side, persons, ui, uj) > persons.max_commute[ui])
    ui, uj = ui[near], uj[near]
    n_elig += np.bincount(ui, minlength=persons.n)
    # Exact totals of the kept pairs (each once, grouped by seeker) and of the band's pairs, which
    # may enter either list.
    if ui.size:
        order = np.argsort(np.concatenate([i, ui]), kind="stable")
        i, j = np.concatenate([i, ui])[order], np.concatenate([j, uj])[order]
        both = np.int8(screen.KEEP_SEEKER | screen.KEEP_VACANCY)
        flags = np.concatenate([flags, np.full(ui.size, both)])[order]
    col = side.vac_col[j]
    combos, at = np.unique(i * side.occ.n + col, return_inverse=True)
    psych = psychometric_pairs(features, side.occ, combos // side.occ.n, combos % side.occ.n)
    num, den = weighted_sum(psych, side.weights, PSYCHOMETRIC)
    experience = experience_pairs(jobs, i, side.vac_ecol[j])
    total, practical = _pair_totals(persons, side, pid, num[at], den[at], i, j, _pair_minutes(side, persons, i, j),
                                    experience)
    r = np.flatnonzero(flags & screen.KEEP_SEEKER)
    sel, rank = ragged_top_k(i[r], total[r], j[r], k)
    sel = r[sel]
    part = {"seeker": i[sel] + offset, "rank": rank + 1, "vacancy": j[sel], "total": total[sel]}
    for name in PSYCHOMETRIC:
        part[name] = psych[name][at[sel]]
    part["practical"] = practical[sel]
    part["experience"] = experience[sel]
    seeker_top = concat_parts([part], ["seeker", "rank", "vacancy", "total", *COMPONENTS],
                              [np.int64, np.int64, np.int64, float] + [float] * len(COMPONENTS))
    r = np.flatnonzero(flags & screen.KEEP_VACANCY)
    vacancy_top = merge_vacancy_top([{"vacancy": j[r], "seeker": i[r] + offset, "total": total[r]}], k)
    stats = {"seeker": np.arange(persons.n, dtype=np.int64) + offset,
             "n_candidates": (ends - starts).sum(axis=1), "n_eligible": n_elig,
             "enough_information": enough_information(persons)}
    return BlockResult(seeker_top, vacancy_top, stats)


def _screen_person_inputs(p: PersonBlock, pid: np.ndarray) -> tuple[np.ndarray, ...]:
    """Per-seeker arrays of ``screen.screen``: position, commute limit and its haversine form,
    district, distance scale, pay floor and span, education (as ``_pair_practical`` has them)."""
    h_max, band = screen.haversine_limits(p.max_commute)
    limit = p.max_commute
    e = np.where(p.expected_pay > 0, p.expected_pay, np.nan)
    return (screen.unit_vectors(p.lat, p.lon), ~np.isnan(p.lat) & ~np.isnan(p.lon), limit, h_max, band, pid,
            np.where(np.isnan(limit), DEFAULT_COMMUTE_SCALE_MIN, np.maximum(limit, 5.0)),
            PAY_FLOOR_SHARE * e, (1.0 - PAY_FLOOR_SHARE) * e, p.education)


def _screen_feature_inputs(f: PersonFeatures) -> tuple[np.ndarray, ...]:
    return tuple(np.ascontiguousarray(x) for x in (
        f.apt_t, f.apt_se, f.riasec_unit, f.riasec_code, f.riasec_level, f.has_riasec, f.values_unit,
        f.values_weight, f.values_weight_sum, f.styles_unit, f.styles_level))


def score_block_unpruned(persons: PersonBlock, side: VacancySide, k: int = 20, *, offset: int = 0,
                         max_pairs: int = MAX_PAIRS, max_people: int = MAX_PEOPLE) -> BlockResult:
    """The reference for ``score_block``: every eligible pair's total is computed (no
    bound-and-prune). Same output, slower; kept for the equality test."""
    pool, items = side.pool, side.pool.items
    starts, ends = _segments(persons, side)
    counts = (ends - starts).sum(axis=1)
    s_parts: list[dict[str, np.ndarray]] = []
    v_parts: list[dict[str, np.ndarray]] = []
    n_elig = np.zeros(persons.n, dtype=np.int64)
    for a, b in _chunks(counts, max_pairs, max_people):
        p = _take(persons, a, b)
        i, j = _expand(starts[a:b], ends[a:b], side.grid_src)
        minutes = _pair_minutes(side, p, i, j)
        pid = district_ids(p, items)[i]
        same = np.where(pid == -1, -1, (pid == items.district[j]).astype(np.int8)).astype(np.int8)
        ok = _pair_eligibility(p, side, i, j, minutes, same) == 0
        i, j, minutes, same = i[ok], j[ok], minutes[ok], same[ok]
        n_elig[a:b] = np.bincount(i, minlength=b - a)
        if i.size == 0:
            continue
        practical = nanmean_stack([
            distance_fit(minutes, p.max_commute[i], same),
            side.hours_part[j],
            pay_fit(p.expected_pay[i], pool.pay_min[j], pool.pay_max[j]),
            education_fit(p.education[i], pool.soft_edu_required[j]),
        ])
        psych, _, _ = _psychometric_part(p, side)
        col = side.vac_col[j]
        comps = {name: psych[name][i, col] for name in PSYCHOMETRIC}
        comps["practical"] = practical
        comps["experience"] = psych["experience"][i, side.vac_ecol[j]]
        total = combine(comps, side.weights, COMPONENTS)
        # Seekers' top k (pairs are grouped by seeker already).
        sel, rank = ragged_top_k(i, total, j, k)
        part = {"seeker": i[sel] + a + offset, "rank": rank + 1, "vacancy": j[sel], "total": total[sel]}
        for name in COMPONENTS:
            part[name] = comps[name][sel]
        s_parts.append(part)
        # Vacancies' top k within this chunk.
        by_v = np.argsort(j, kind="stable")
        vs, _ = ragged_top_k(j[by_v], total[by_v], i[by_v], k)
        vs = by_v[vs]
        v_parts.append({"vacancy": j[vs], "seeker": i[vs] + a + offset, "total": total[vs]})
    seeker_top = concat_parts(s_parts, ["seeker", "rank", "vacancy", "total", *COMPONENTS],
                              [np.int64, np.int64, np.int64, float] + [float] * len(COMPONENTS))
    vacancy_top = merge_vacancy_top([concat_parts(v_parts, ["vacancy", "seeker", "total"], [np.int64, np.int64, float])], k)
    stats = {"seeker": np.arange(persons.n, dtype=np.int64) + offset, "n_candidates": counts, "n_eligible": n_elig,
             "enough_information": enough_information(persons)}
    return BlockResult(seeker_top, vacancy_top, stats)




def pair_features(persons: PersonBlock, side: VacancySide, i: np.ndarray, j: np.ndarray,
                  max_people: int = 1000) -> dict[str, np.ndarray]:
    """The matcher's numbers for aligned pairs (seeker ``i[n]`` of ``persons``, vacancy ``j[n]``
    of the pool), each (n_pairs,): ``total`` (0–100), the six components (``COMPONENTS``, 0–1,
    NaN = not computable), the practical sub-scores ``distance``, ``hours``, ``pay``,
    ``education`` (0–1) and ``commute_minutes`` (NaN without coordinates) — what
    ``matching.rank.score_vacancies`` gives for those pairs, for the outcome model's inputs
    (issue 17). Eligibility is not checked: the pairs come from the lists.

    Psychometric parts are computed per distinct (seeker, profile) pair; when some vacancy needs
    the person's median over all occupations, the (seeker × occupation) matrix is computed
    instead, ``max_people`` seekers at a time."""
    i, j = np.asarray(i, dtype=np.int64), np.asarray(j, dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    if side.median_column:
        comps = {name: np.empty(i.size) for name in (*PSYCHOMETRIC, "experience")}
        for a in range(0, persons.n, max_people):
            b = min(a + max_people, persons.n)
            rows = np.flatnonzero((i >= a) & (i < b))
            if rows.size == 0:
                continue
            psych, _, _ = _psychometric_part(_take(persons, a, b), side)
            for name in PSYCHOMETRIC:
                comps[name][rows] = psych[name][i[rows] - a, side.vac_col[j[rows]]]
            comps["experience"][rows] = psych["experience"][i[rows] - a, side.vac_ecol[j[rows]]]
    else:
        features = person_features(persons.apt_t, persons.apt_se, persons.riasec, persons.values, persons.big_five)
        col = side.vac_col[j]
        combos, at = np.unique(i * side.occ.n + col, return_inverse=True)
        psych = psychometric_pairs(features, side.occ, combos // side.occ.n, combos % side.occ.n)
        comps = {name: psych[name][at] for name in PSYCHOMETRIC}
        jobs = past_jobs(persons, side.similarity, side.exp_cols, side.as_of_year)
        comps["experience"] = experience_pairs(jobs, i, side.vac_ecol[j])
    minutes = _pair_minutes(side, persons, i, j)
    parts = _pair_practical_parts(persons, side, district_ids(persons, side.pool.items), i, j, minutes)
    comps["practical"] = nanmean_stack(list(parts))
    out["total"] = combine(comps, side.weights, COMPONENTS)
    out.update({name: comps[name] for name in COMPONENTS})
    out.update(zip(("distance", "hours", "pay", "education"), parts))
    out["commute_minutes"] = minutes
    return out
