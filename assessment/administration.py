"""Administering a battery: the frozen plan, which items come next, and what counts as a valid answer.

Stateless: the caller (the API) stores the plan and the answers and asks this module, after every
answer, what the next page is. Adaptive parts choose their next item with ``assessment.cat.engine``;
the randomesque draw is seeded from the session and the number of answers, so asking twice (a reload)
shows the same item.
"""
import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta

from assessment.cat.engine import CatBank, CatSettings, CatStep, next_item
from assessment.irt.models import ItemBank
from models.assessment import PlanPart
from models.instrument import Battery, Instrument, Item

LIKERT_PAGE = 6  # items per screen for questionnaires: short enough to read, long enough to flow
SPEEDED_PAGE = 10  # comparisons per screen in speeded tests
TIME_GRACE = timedelta(seconds=15)  # network latency after the visible timer runs out


def _paper_form(instrument: Instrument) -> str:
    """The fixed form used on paper in place of adaptive delivery: the one named ``paper``, else the first."""
    if not instrument.forms:
        raise ValueError(f"{instrument.id} has no fixed form, so it cannot be given on paper")
    ids = [form.id for form in instrument.forms]
    return "paper" if "paper" in ids else ids[0]


def _page_size(instrument: Instrument) -> int:
    if instrument.kind != "aptitude":
        return LIKERT_PAGE
    return SPEEDED_PAGE if instrument.time_limit and instrument.time_limit.speeded else 1


def build_plan(battery: Battery, instruments: Mapping[str, Instrument], paper: bool = False) -> list[PlanPart]:
    """Freeze a battery into parts. On ``paper``, adaptive parts become their fixed form."""
    parts = []
    for spec in battery.parts:
        instrument = instruments[spec.instrument]
        mode, form_id = spec.mode, spec.form
        if paper and mode == "adaptive":
            mode, form_id = "form", _paper_form(instrument)
        if mode == "form":
            form = instrument.form(form_id)
            item_ids = list(form.items)
            limit = form.time_limit or instrument.time_limit
        else:
            item_ids = [item.id for item in instrument.items]
            limit = instrument.time_limit
        parts.append(PlanPart(
            instrument_id=instrument.id, instrument_version=instrument.version, mode=mode, form_id=form_id,
            item_ids=item_ids, page_size=_page_size(instrument),
            max_items=spec.max_items if mode == "adaptive" else None,
            target_se=spec.target_se if mode == "adaptive" else None,
            time_limit_seconds=limit.seconds if limit and not paper else None,
        ))
    return parts


def answer_problem(instrument: Instrument, item_id: str, answer: str) -> str | None:
    """Why ``answer`` is not a valid answer to ``item_id``, or None when it is."""
    try:
        item = instrument.item(item_id)
    except KeyError:
        return f"{instrument.id} has no item {item_id!r}"
    allowed = allowed_answers(instrument, item)
    if answer not in allowed:
        return f"answer {answer!r} is not one of {allowed}"
    return None


def allowed_answers(instrument: Instrument, item: Item) -> list[str]:
    fmt = instrument.response_format_of(item)
    if fmt.kind == "choice":
        return [option.id for option in item.options]
    if fmt.kind == "likert":
        return [str(k) for k in range(1, fmt.points + 1)]
    return ["same", "different"]


def is_correct(item: Item, answer: str) -> int:
    """1 when ``answer`` is the keyed option (choice and same/different items), else 0."""
    return int(item.key is not None and answer == item.key)


def part_timed_out(part: PlanPart, started: datetime | None, now: datetime) -> bool:
    """True once a timed part's limit (plus a short grace for latency) has passed since it started."""
    if part.time_limit_seconds is None or started is None:
        return False
    return now > started + timedelta(seconds=part.time_limit_seconds) + TIME_GRACE


def seconds_left(part: PlanPart, started: datetime | None, now: datetime) -> float | None:
    if part.time_limit_seconds is None:
        return None
    if started is None:
        return float(part.time_limit_seconds)
    return max(0.0, part.time_limit_seconds - (now - started).total_seconds())


_BANKS: dict[tuple[str, str, tuple[str, ...]], CatBank] = {}


def _cat_bank(instrument: Instrument, item_ids: tuple[str, ...]) -> CatBank:
    """The adaptive bank of a part, built once per instrument version (definitions are immutable)."""
    key = (instrument.id, instrument.version, item_ids)
    if key not in _BANKS:
        _BANKS[key] = _build_cat_bank(instrument, item_ids)
    return _BANKS[key]


def _build_cat_bank(instrument: Instrument, item_ids: tuple[str, ...]) -> CatBank:
    items = [instrument.item(i) for i in item_ids]
    params = [item.parameters for item in items]
    bank = ItemBank.dichotomous([p.a for p in params], [p.b for p in params],
                                [p.c or 0.0 for p in params], list(item_ids))
    return CatBank(bank, tuple(item.tags[0] if item.tags else "general" for item in items))


def adaptive_step(part: PlanPart, instrument: Instrument, answered: Sequence[tuple[str, str]],
                  seed_text: str) -> CatStep:
    """The CAT's decision after ``answered`` (item id, answer) pairs in the order given."""
    settings = CatSettings(se_target=part.target_se or 0.3, max_items=part.max_items or len(part.item_ids),
                           exposure="randomesque")
    seed = int.from_bytes(hashlib.sha256(f"{seed_text}:{len(answered)}".encode()).digest()[:8], "big")
    ids = [item_id for item_id, _ in answered]
    scored = [is_correct(instrument.item(item_id), answer) for item_id, answer in answered]
    return next_item(_cat_bank(instrument, tuple(part.item_ids)), ids, scored, settings, seed)


def next_page(part: PlanPart, instrument: Instrument, answered: Sequence[tuple[str, str]],
              seed_text: str) -> list[str]:
    """Item ids to show next in this part (empty when the part is finished)."""
    if part.mode == "adaptive":
        step = adaptive_step(part, instrument, answered, seed_text)
        return [] if step.stop else [step.item_id]
    done = {item_id for item_id, _ in answered}
    return [item_id for item_id in part.item_ids if item_id not in done][:part.page_size]


def planned_length(part: PlanPart) -> int:
    """Items the part will show at most."""
    return min(part.max_items or len(part.item_ids), len(part.item_ids))
