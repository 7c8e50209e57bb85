"""Screening for the batch kernel: every candidate pair of a block is checked for eligibility and
given an *approximate* total with a proven error bound, in one compiled pass; only the pairs that
can still enter a top-k list go on to the exact computation (``kernel._score_block_screened``).

Why approximate first. The exact total needs, per (seeker, occupation profile), twelve normal
CDFs for the aptitude fit, and per pair a haversine distance (sines and an arcsine) and an
exponential; at 10⁵ seekers × 2·10⁴ vacancies that is 10¹⁰ transcendental calls, most of them
for pairs that end far from any top-k list. (The experience component, per (seeker, occupation),
needs only products and is computed here from the same inputs as in the exact stage.) Here:

- Φ is linear interpolation in a table of ``scipy.special.ndtr`` on [−9, 9] with step 1/128
  (18 KB: it stays in the first-level cache): |Φ̃ − Φ| ≤ h²/8 · max|Φ″| = h²/8 · φ(1) < 1.9·10⁻⁶
  (beyond ±9, Φ is 0 or 1 to 10⁻¹⁹).
- The commute distance comes from the chord between unit vectors (no trigonometry per pair):
  haversine h = chord²/4; its rounding error is ~10⁻¹⁵·√h, far inside the band below.
- Everything else (interest, values, work style, hours, pay, education, experience, the weighted
  mean) is the same arithmetic as ``matching.components`` and ``matching.experience``, reordered
  at most (``APPROXIMATE``); the exponential and arcsine are the C library's.

Error bound on the total (0–100). The total is 100·Σ_c w_c·x_c / D, D = Σ_c w_c over the
components c that are not NaN (aptitude, interest, values, style, practical, experience). Which
components are NaN is decided exactly (the same tests on the same inputs), so D is exact and
|Δtotal| ≤ 100·Σ_c (w_c / D)·|Δx_c| ≤ 100·max_c |Δx_c|, the shares w_c / D summing to 1: a
component added to the mean never widens the bound. The aptitude fit M·(1 − ½O) has M and O
within δ = 1.9·10⁻⁶ each (Φ̃ in both), so it moves by at most |ΔM|·1 + M·½|ΔO| ≤ 1.5δ < 2.9·10⁻⁶,
and the total by at most 2.9·10⁻⁴. The distance part moves by ~10⁻¹¹; the experience component
1 − Π(1 − w·s) comes from the exact w and s with a few roundings (~10⁻¹⁵), the other components
from reordered arithmetic (~10⁻¹⁵). ``EPS`` = 10⁻³ covers it all with room. Then, for a seeker
(or a vacancy) whose k-th best approximate total is A_k, any pair in the exact top k has
approximate total ≥ A_k − 2·EPS (each total moves by ≤ EPS, so the k-th order statistic does
too), and every such pair is kept, ties included.

Skipping. The total is non-decreasing in the distance fit, so a pair whose total stays below
both thresholds even with an upper bound of its fit enters neither list and needs neither the
arcsine nor the exponential: first with the fit 1, then with ``_distance_fit_bound`` (from the
chord alone: a square root and a division). Either way it is a bound, so no kept pair changes.

Eligibility is exact except in a band of 10⁻⁶ minutes around a seeker's commute limit, where
the pair is returned as *uncertain* and decided by the exact formula afterwards; every other rule
comes from the exact (seeker × requirement class) matrix.
"""
from __future__ import annotations

import math

import numba
import numpy as np
from scipy.special import ndtr

from matching import components
from matching.components import ACCESS_MINUTES, DETOUR_FACTOR, DOOR_TO_DOOR_KMH

PHI_Z = 9.0                 # Φ is tabulated on [−PHI_Z, PHI_Z]
PHI_STEPS_PER_UNIT = 128    # h = 1/128: interpolation error < 1.9e-6
EPS = 1e-3                  # proven bound on |approximate − exact total| (points on 0–100), with room
BAND_MINUTES = 1e-6         # commute estimates this close to a limit are decided exactly later
# The approximate pass may reorder and fuse arithmetic (rounding at 10⁻¹⁶, far inside EPS and the
# band; 8 % faster), but NaN and infinity keep their meaning: missing data is NaN here.
APPROXIMATE = {"contract", "arcp", "reassoc"}
MINUTES_PER_RADIAN = 2.0 * 6371.0 * DETOUR_FACTOR / DOOR_TO_DOOR_KMH * 60.0  # haversine arc → minutes

# Indices of ``model_constants()``. The matcher's constants reach the compiled code as an argument,
# not as globals: numba bakes globals into its on-disk cache, which is keyed on this file only, so a
# constant changed in ``matching.components`` would otherwise keep its old value in the screen.
K_OVER_T, K_OVER_COST, K_MIX0, K_MIX1, K_MIX2, K_ACCESS, K_MIN_PER_RAD, K_EDU_STEP = range(8)


def model_constants() -> np.ndarray:
    """(8,) float64: the ``matching.components`` constants the screen uses, at the ``K_*`` indices
    (read from that module at call time, as the exact formulas read them)."""
    c = components
    per_radian = 2.0 * 6371.0 * c.DETOUR_FACTOR / c.DOOR_TO_DOOR_KMH * 60.0
    return np.array([c.OVERQUALIFICATION_T, c.OVERQUALIFICATION_COST, *c.INTEREST_MIX, c.ACCESS_MINUTES,
                     per_radian, c.EDUCATION_STEP_PENALTY], dtype=float)


# Bits of ``screen``'s kept-pair flags: the list(s) a pair may enter.
KEEP_SEEKER, KEEP_VACANCY = 1, 2

# Columns of ``vacancy_rows``: what the screen reads of a candidate, in one row, so that a seeker's
# candidate range is read sequentially (scattered reads from ten arrays cost more than the maths).
R_CLASS, R_XY, R_X, R_Y, R_Z, R_J, R_COL, R_ECOL, R_DISTRICT, R_HOURS, R_PAY_LO, R_PAY_HI, R_EDU = range(13)


def vacancy_rows(order: np.ndarray, req_class: np.ndarray, lat: np.ndarray, lon: np.ndarray,
                 column: np.ndarray, exp_column: np.ndarray, district: np.ndarray, hours_part: np.ndarray,
                 pay_lo: np.ndarray, pay_hi: np.ndarray, soft_education: np.ndarray) -> np.ndarray:
    """(len(order), 13) float64: the vacancies ``order[pos]`` with the ``R_*`` columns (``R_COL``
    the profile column, ``R_ECOL`` the experience column; integers are exact in float64)."""
    xy = ~np.isnan(lat) & ~np.isnan(lon)
    cols = np.column_stack([req_class, xy, unit_vectors(lat, lon), np.arange(lat.size), column, exp_column,
                            district, hours_part, pay_lo, pay_hi, soft_education]).astype(float)
    return np.ascontiguousarray(cols[order])


def phi_table() -> np.ndarray:
    """Φ at the grid points −PHI_Z, −PHI_Z + h, …, PHI_Z (exact ``ndtr`` values)."""
    n = int(2 * PHI_Z * PHI_STEPS_PER_UNIT)
    return ndtr(np.linspace(-PHI_Z, PHI_Z, n + 1))


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) unit vectors of points on the sphere (NaN rows for missing coordinates)."""
    la, lo = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(la) * np.cos(lo), np.cos(la) * np.sin(lo), np.sin(la)])


def haversine_limits(limit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per seeker, the haversine h at which the commute estimate equals the limit, and the band
    ±δh that corresponds to ±BAND_MINUTES there. NaN limit: no limit (h_max = +inf). A limit
    under the access time can never be met (h_max = −1: every pair with coordinates is too far)."""
    arc = (limit - ACCESS_MINUTES) / MINUTES_PER_RADIAN        # asin(√h) at the limit
    with np.errstate(invalid="ignore"):
        s = np.sin(np.clip(arc, 0.0, math.pi / 2.0))
        h_max = np.where(np.isnan(limit), np.inf, np.where(arc < 0, -1.0, np.where(arc >= math.pi / 2.0, np.inf, s * s)))
    # dh/dminute = 2·sin·cos / MINUTES_PER_RADIAN; the floor covers h_max ≈ 0 (a limit of 10 min).
    band = np.where(np.isfinite(h_max) & (h_max >= 0),
                    BAND_MINUTES * 2.0 * np.sqrt(np.clip(h_max, 0, 1)) / MINUTES_PER_RADIAN + 1e-20, 0.0)
    return h_max, band


class VacancyHeaps:
    """Each vacancy's best ``k`` approximate totals among the seekers screened so far (a min-heap
    per row). Carried from block to block, the vacancies' thresholds start high, so a block
    keeps only the pairs that can still enter the pool-wide top k, not its own top k."""

    def __init__(self, n_vacancies: int, k: int):
        self.k = k
        self.heap = np.empty((n_vacancies, k))
        self.fill = np.zeros(n_vacancies, np.int64)


@numba.njit(cache=True, inline="always")
def phi_approx(z: float, table: np.ndarray) -> float:
    """Φ(z) from ``table`` (``phi_table()``) by linear interpolation; NaN for NaN. Selects
    rather than early returns, so the loops calling it have no data-dependent branches."""
    top = 2.0 * PHI_Z * PHI_STEPS_PER_UNIT - 1e-9
    u = (z + PHI_Z) * PHI_STEPS_PER_UNIT
    u = 0.0 if u < 0.0 else (top if u > top else u)
    ok = u == u
    i = int(u) if ok else 0
    return table[i] + (u - i) * (table[i + 1] - table[i]) if ok else np.nan


@numba.njit(cache=True, fastmath=APPROXIMATE)
def _profile_parts(s, consts, weights, table, apt_t, apt_se, ru, code, lev, has_r, vu, vw, vws, su, sl,
                   o_req, o_aw, o_r, o_ru, o_code, o_has_r, o_vu, o_ve, o_su, o_sw, o_sws, bg, scratch,
                   num4, den4):
    """Approximate psychometric numerator and denominator of the weighted mean for seeker ``s``
    against every profile (``matching.rank.combine``'s psychometric terms).

    The profile arrays are feature-major (features × profiles) and the inner loops run over
    profiles without data-dependent branches (measured faster than profile-major loops with the
    features innermost); ``scratch`` is (9, profiles).
    """
    occ_n = num4.size
    over_t, over_cost = consts[K_OVER_T], consts[K_OVER_COST]
    mix0, mix1, mix2 = consts[K_MIX0], consts[K_MIX1], consts[K_MIX2]
    a_num, a_over, a_den, intr, d2, wv_r, wv_s, ws_r, ws_l = (
        scratch[0], scratch[1], scratch[2], scratch[3], scratch[4], scratch[5], scratch[6], scratch[7], scratch[8])
    for c in range(occ_n):
        a_num[c] = 0.0
        a_over[c] = 0.0
        a_den[c] = 0.0
    # aptitude: Σ w·Φ̃(z), Σ w·Φ̃(z − δ/SE), Σ w over the aptitudes measured on both sides
    # (``o_aw`` is 0 where the profile lacks the aptitude, ``o_req`` 0 there).
    for k in range(apt_t.shape[1]):
        t = apt_t[s, k]
        if t != t:
            continue
        inv = 1.0 / apt_se[s, k]
        shift = over_t * inv
        for c in range(occ_n):
            w = o_aw[k, c]
            z = (t - o_req[k, c]) * inv                    # NaN only if the SE is
            p = phi_approx(z, table)
            q = phi_approx(z - shift, table)
            a_num[c] += w * p if w > 0 else 0.0
            a_over[c] += w * q if w > 0 else 0.0
            a_den[c] += w
    # interest: correlation, squared distance of levels (Brown–Gore C below)
    for c in range(occ_n):
        intr[c] = 0.0
        d2[c] = 0.0
        wv_r[c] = 0.0
        wv_s[c] = 0.0
        ws_r[c] = 0.0
        ws_l[c] = 0.0
    for k in range(6):
        a = ru[s, k]
        b = lev[s, k]
        for c in range(occ_n):
            intr[c] += a * o_ru[k, c]
            d = b - o_r[k, c]
            d2[c] += d * d
    for k in range(vu.shape[1]):
        a = vu[s, k]
        b = vw[s, k]
        for c in range(occ_n):
            wv_r[c] += a * o_vu[k, c]
            wv_s[c] += b * o_ve[k, c]
    for k in range(su.shape[1]):
        a = su[s, k]
        b = sl[s, k]
        for c in range(occ_n):
            ws_r[c] += a * o_su[k, c]
            ws_l[c] += b * o_sw[k, c]
    b0, b1, b2 = code[s, 0], code[s, 1], code[s, 2]
    person_r = has_r[s]
    inv_vws = 1.0 / vws[s]
    w0, w1, w2, w3 = weights[0], weights[1], weights[2], weights[3]
    for c in range(occ_n):
        den = a_den[c]
        apt = (a_num[c] / den) * (1.0 - over_cost * a_over[c] / den) if den > 0 else np.nan
        cc = 3 * bg[b0, o_code[0, c]] + 2 * bg[b1, o_code[1, c]] + bg[b2, o_code[2, c]]
        it = (mix0 * (intr[c] + 1.0) / 2.0 + mix1 * cc / 18.0
              + mix2 * (1.0 - math.sqrt(d2[c]) / math.sqrt(216.0)))
        it = it if person_r and o_has_r[c] else np.nan
        wv = 0.5 * (wv_r[c] + 1.0) / 2.0 + 0.5 * (wv_s[c] * inv_vws)
        ws = 0.5 * (ws_r[c] + 1.0) / 2.0 + 0.5 * (ws_l[c] / o_sws[c])
        n_ = 0.0
        d_ = 0.0
        if apt == apt:
            n_ += w0 * apt
            d_ += w0
        if it == it:
            n_ += w1 * it
            d_ += w1
        if wv == wv:
            n_ += w2 * wv
            d_ += w2
        if ws == ws:
            n_ += w3 * ws
            d_ += w3
        num4[c] = n_
        den4[c] = d_


@numba.njit(cache=True, inline="always")
def _asin_small(x: float) -> float:
    """asin(x); a Taylor series below 0.1 (truncation < 3·10⁻¹³) where almost every commute is."""
    if x < 0.1:
        x2 = x * x
        return x * (1.0 + x2 * (1.0 / 6.0 + x2 * (3.0 / 40.0 + x2 * (5.0 / 112.0 + x2 * (35.0 / 1152.0
                                                                                       + x2 * (63.0 / 2816.0))))))
    return math.asin(min(x, 1.0))


@numba.njit(cache=True, inline="always", fastmath=APPROXIMATE)
def _practical_total(dist, rest, cnt, num, den, w_p, has_e, ex, w_e):
    """The approximate total (0–100) from the distance fit ``dist`` (NaN: unknown), the sum ``rest``
    of the ``cnt`` other known practical parts, the psychometric numerator and denominator, and
    the experience term ``ex`` = w·x (``has_e``: it counts). Non-decreasing in ``dist``."""
    if dist == dist:
        rest += dist
        cnt += 1
    if cnt > 0:
        num += w_p * (rest / cnt)
        den += w_p
    if has_e:
        num += ex
        den += w_e
    return 100.0 * num / den if den > 0 else 50.0


@numba.njit(cache=True, inline="always")
def _distance_fit_bound(x: float) -> float:
    """An upper bound on exp(−y) for every y ≥ x ≥ 0: 1 / (1 + x + x²/2 + x³/6) (the series of
    eˣ has no negative terms). With x = (access + √h · minutes per radian) / scale ≤ the commute
    estimate / scale (arcsin u ≥ u), it bounds the distance fit without the arcsine and the
    exponential; at the fits that matter (x ≲ 1) it exceeds exp(−x) by < 2 %."""
    return 1.0 / (1.0 + x * (1.0 + x * (0.5 + x * (1.0 / 6.0))))


@numba.njit(cache=True, inline="always")
def _heap_push(heap, r, n, value):
    """Row ``r`` of ``heap`` is a min-heap of the largest values seen (capacity: the row length)
    holding ``n``; returns the new fill. (A row index rather than a row view: views cost a
    reference count each.)"""
    cap = heap.shape[1]
    if n < cap:
        i = n
        heap[r, i] = value
        while i > 0:
            parent = (i - 1) // 2
            if heap[r, parent] <= heap[r, i]:
                break
            heap[r, parent], heap[r, i] = heap[r, i], heap[r, parent]
            i = parent
        return n + 1
    if value <= heap[r, 0]:
        return n
    heap[r, 0] = value
    i = 0
    while True:
        left = 2 * i + 1
        if left >= cap:
            break
        small = left
        if left + 1 < cap and heap[r, left + 1] < heap[r, left]:
            small = left + 1
        if heap[r, i] <= heap[r, small]:
            break
        heap[r, i], heap[r, small] = heap[r, small], heap[r, i]
        i = small
    return n


@numba.njit(cache=True)
def _grow(a, need):
    if need <= a.size:
        return a
    out = np.empty(max(need, 2 * a.size), a.dtype)
    out[:a.size] = a
    return out


@numba.njit(cache=True, nogil=True, fastmath=APPROXIMATE)
def screen(consts, k, eps2, starts, ends, rows, v_heap, v_fill, cls_ok,
           p_xyz, p_xy, p_limit, p_hmax, p_band, p_pid, p_scale, p_floor, p_span, p_edu,
           weights, table, apt_t, apt_se, ru, code, lev, has_r, vu, vw, vws, su, sl,
           o_req, o_aw, o_r, o_ru, o_code, o_has_r, o_vu, o_ve, o_su, o_sw, o_sws, bg,
           j_weight, j_row, j_has, j_sim):
    """Screen a block of seekers: ``consts`` the matcher's constants (``model_constants()``),
    ``starts``/``ends`` their candidate ranges in ``rows``
    (``vacancy_rows``, the vacancies in candidate order), ``v_heap``/``v_fill`` each vacancy's
    best ``k`` approximate totals so far (``VacancyHeaps``, updated), ``cls_ok`` (seekers × requirement
    classes) the exact non-commute rules, then per-seeker arrays (``kernel``'s
    ``_screen_person_inputs``), the weights and Φ table, the seekers' ``PersonFeatures``, the
    profiles' ``OccupationFeatures`` as arrays and the seekers' past jobs
    (``matching.batch.experience.PastJobs``: weights with 0 for padding, rows of ``j_sim``,
    whether any job counts, similarities per experience column). Returns

    - ``n_eligible`` (n_p,): pairs found eligible for certain;
    - the kept pairs (``ki`` seeker, ``kj`` vacancy, ``kf`` flags), grouped by seeker, each pair
      once: bit ``KEEP_SEEKER`` if its approximate total is within ``eps2`` of the seeker's k-th
      best approximate total or above, bit ``KEEP_VACANCY`` the same for the vacancy's k-th best
      so far (its heap, this block's seekers included);
    - uncertain (``ui``, ``uj``): class-eligible pairs within the band around the commute limit.
    """
    n_p = starts.shape[0]
    access, min_per_rad, edu_step = consts[K_ACCESS], consts[K_MIN_PER_RAD], consts[K_EDU_STEP]
    occ_n = o_req.shape[1]
    scratch = np.empty((9, occ_n))
    w_p = weights[4]
    w_e = weights[5]
    n_e = j_sim.shape[1]
    exp_row = np.empty(n_e)
    num4 = np.empty(occ_n)
    den4 = np.empty(occ_n)
    n_elig = np.zeros(n_p, np.int64)
    heap = np.empty((1, k))
    n_v = v_fill.size
    v_min = np.full(n_v, -np.inf)      # each vacancy's k-th best so far − eps2 (small: stays in cache)
    for j in range(n_v):
        if v_fill[j] == k:
            v_min[j] = v_heap[j, 0] - eps2
    ki = np.empty(64 * n_p, np.int64)
    kj = np.empty(64 * n_p, np.int64)
    kt = np.empty(64 * n_p)
    kf = np.empty(64 * n_p, np.int8)
    nk = 0
    ui = np.empty(16, np.int64)
    uj = np.empty(16, np.int64)
    nu = 0
    e_pos = np.empty(16, np.int64)     # one seeker's eligible candidates (pass 1 → pass 2)
    e_code = np.empty(16)
    for s in range(n_p):
        _profile_parts(s, consts, weights, table, apt_t, apt_se, ru, code, lev, has_r, vu, vw, vws, su, sl,
                       o_req, o_aw, o_r, o_ru, o_code, o_has_r, o_vu, o_ve, o_su, o_sw, o_sws, bg, scratch,
                       num4, den4)
        # experience per column: 1 − Π (1 − w·s) over the jobs that count (exact up to rounding)
        has_e = j_has[s]
        if has_e:
            for c in range(n_e):
                exp_row[c] = 1.0
            for e in range(j_weight.shape[1]):
                w = j_weight[s, e]
                if w > 0.0:
                    r = j_row[s, e]
                    for c in range(n_e):
                        exp_row[c] *= 1.0 - w * j_sim[r, c]
            for c in range(n_e):
                exp_row[c] = 1.0 - exp_row[c]
        limit = p_limit[s]
        has_limit = limit == limit
        hmax = p_hmax[s]
        band = p_band[s]
        px, py, pz = p_xyz[s, 0], p_xyz[s, 1], p_xyz[s, 2]
        pid = p_pid[s]
        scale = p_scale[s]
        floor = p_floor[s]
        span = p_span[s]
        edu = p_edu[s]
        # Room for every candidate of this seeker in each list, so that no array is replaced
        # inside the loop below (a replaced array costs atomic reference counts on every pass).
        room = 0
        for seg in range(starts.shape[1]):
            room += ends[s, seg] - starts[s, seg]
        if nk + room > ki.size:
            ki = _grow(ki, nk + room)
            kj = _grow(kj, nk + room)
            kt = _grow(kt, nk + room)
            kf = _grow(kf, nk + room)
        if nu + room + 1 > ui.size:
            ui = _grow(ui, nu + room + 1)
            uj = _grow(uj, nu + room + 1)
        if room > e_pos.size:
            e_pos = _grow(e_pos, room)
            e_code = _grow(e_code, room)
        fill = 0
        s_min = -np.inf                 # this seeker's k-th best so far − eps2
        first = nk
        # Pass 1, without branches on the data (they would be mispredicted half the time): the
        # eligible candidates' positions and a distance code (haversine h ≥ 0, or −1/−2/−3 for
        # "no coordinates": same district / another / unknown), and the band pairs.
        ok_row = cls_ok[s]
        ne = 0
        for seg in range(starts.shape[1]):
            for pos in range(starts[s, seg], ends[s, seg]):
                cls_pass = ok_row[int(rows[pos, R_CLASS])]
                if p_xy[s] and rows[pos, R_XY] > 0:
                    dx = px - rows[pos, R_X]
                    dy = py - rows[pos, R_Y]
                    dz = pz - rows[pos, R_Z]
                    h = (dx * dx + dy * dy + dz * dz) * 0.25
                    near = (not has_limit) or h < hmax - band
                    in_band = has_limit and h >= hmax - band and h <= hmax + band
                    code_ = h
                else:
                    same = -1 if pid == -1 else (1 if pid == rows[pos, R_DISTRICT] else 0)
                    near = not (same == 0 and has_limit)
                    in_band = False
                    code_ = -1.0 if same == 1 else (-2.0 if same == 0 else -3.0)
                e_pos[ne] = pos
                e_code[ne] = code_
                ne += cls_pass & near
                ui[nu] = s
                uj[nu] = int(rows[pos, R_J])
                nu += cls_pass & in_band
        n_elig[s] += ne
        # Pass 2: the approximate total of each eligible candidate and the top-k bookkeeping.
        for e in range(ne):
            pos = e_pos[e]
            h = e_code[e]
            # practical: the mean of the known parts (distance, hours, pay, education)
            rest = 0.0
            cnt = 0
            hours = rows[pos, R_HOURS]
            if hours == hours:
                rest += hours
                cnt += 1
            f_lo = (rows[pos, R_PAY_LO] - floor) / span
            f_hi = (rows[pos, R_PAY_HI] - floor) / span
            if f_lo == f_lo and f_hi == f_hi:   # NaN: no expectation or no pay stated
                rest += 0.5 * (min(max(f_lo, 0.0), 1.0) + min(max(f_hi, 0.0), 1.0))
                cnt += 1
            gap = rows[pos, R_EDU] - edu
            if gap == gap:                      # NaN: education or requirement unknown
                rest += min(max(1.0 - edu_step * max(gap, 0.0), 0.0), 1.0)
                cnt += 1
            c = int(rows[pos, R_COL])
            j = int(rows[pos, R_J])
            ex = w_e * exp_row[int(rows[pos, R_ECOL])] if has_e else 0.0
            if h >= 0.0:
                # The total rises with the distance fit: when even an upper bound of the fit
                # leaves the pair below both thresholds, it enters neither list, and the
                # arcsine and exponential are skipped (10⁻⁹: room for other roundings). First
                # the bound 1, then ``_distance_fit_bound`` (a square root and a division).
                bar = min(s_min, v_min[j]) - 1e-9
                if _practical_total(1.0, rest, cnt, num4[c], den4[c], w_p, has_e, ex, w_e) < bar:
                    continue
                root = math.sqrt(min(h, 1.0))
                bound = _distance_fit_bound((access + root * min_per_rad) / scale)
                if _practical_total(bound, rest, cnt, num4[c], den4[c], w_p, has_e, ex, w_e) < bar:
                    continue
                minutes = access + _asin_small(root) * min_per_rad
                dist = math.exp(-minutes / scale)
            else:
                dist = 0.8 if h == -1.0 else (0.3 if h == -2.0 else np.nan)
            total = _practical_total(dist, rest, cnt, num4[c], den4[c], w_p, has_e, ex, w_e)
            flags = 0
            if total >= s_min:
                flags = KEEP_SEEKER
                fill = _heap_push(heap, 0, fill, total)
                if fill == k:
                    s_min = heap[0, 0] - eps2
            if total >= v_min[j]:
                flags |= KEEP_VACANCY
                v_fill[j] = _heap_push(v_heap, j, v_fill[j], total)
                if v_fill[j] == k:
                    v_min[j] = v_heap[j, 0] - eps2
            if flags:
                ki[nk] = s
                kj[nk] = j
                kt[nk] = total
                kf[nk] = flags
                nk += 1
        # This seeker's pairs against its final k-th best.
        m = first
        for e in range(first, nk):
            flags = kf[e]
            if kt[e] < s_min:
                flags &= ~KEEP_SEEKER
            if flags:
                kj[m] = kj[e]
                kt[m] = kt[e]
                kf[m] = flags
                m += 1
        nk = m
    # Each vacancy's pairs against its final k-th best.
    m = 0
    for e in range(nk):
        flags = kf[e]
        if kt[e] < v_min[kj[e]]:
            flags &= ~KEEP_VACANCY
        if flags:
            ki[m] = ki[e]
            kj[m] = kj[e]
            kf[m] = flags
            m += 1
    return n_elig, ki[:m], kj[:m], kf[:m], ui[:nu], uj[:nu]
