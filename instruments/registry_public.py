"""The public projection of an instrument: what a test taker's form may show, and the list entry.

:func:`public_view` builds the form field by field into types that have no key, keying, scale,
feature or parameter fields, so nothing secret can leak by forgetting to drop it.
"""
from __future__ import annotations

from models.instrument import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    SAME_DIFFERENT_OPTIONS,
    FormPublic,
    Instrument,
    InstrumentPublic,
    InstrumentSummary,
    Item,
    ItemPublic,
    OptionPublic,
    PracticeItem,
    PracticeItemPublic,
)

__all__ = ["public_view", "summary"]


def _public_options(options: list, lang: str) -> list[OptionPublic]:
    return [OptionPublic(id=o.id, text=o.text.get(lang) if o.text else None, svg=o.svg)
            for o in options]


def _public_item(instrument: Instrument, item: Item, lang: str) -> ItemPublic:
    fmt = instrument.response_format_of(item)
    if fmt.kind == "choice":
        options = _public_options(item.options, lang)
    elif fmt.kind == "likert":
        options = [OptionPublic(id=str(k), text=a.get(lang)) for k, a in enumerate(fmt.anchors, 1)]
    else:
        options = [OptionPublic(id=oid, text=label.get(lang)) for oid, label in SAME_DIFFERENT_OPTIONS]
    return ItemPublic(id=item.id, text=item.text.get(lang), stimulus_svg=item.stimulus_svg,
                      pair=[p.get(lang) for p in item.pair] if item.pair else None,
                      format=fmt.kind, options=options)


def _public_practice(instrument: Instrument, p: PracticeItem, lang: str) -> PracticeItemPublic:
    fmt = instrument.response_formats[instrument.default_response_format]
    if p.options:
        kind, options = "choice", _public_options(p.options, lang)
    elif p.pair is not None:
        kind = "same_different"
        options = [OptionPublic(id=oid, text=label.get(lang)) for oid, label in SAME_DIFFERENT_OPTIONS]
    else:
        kind = "likert"
        options = [OptionPublic(id=str(k), text=a.get(lang)) for k, a in enumerate(fmt.anchors, 1)]
    return PracticeItemPublic(id=p.id, text=p.text.get(lang), stimulus_svg=p.stimulus_svg,
                              pair=[x.get(lang) for x in p.pair] if p.pair else None, format=kind,
                              options=options, answer=p.answer, feedback=p.feedback.get(lang))


def public_view(instrument: Instrument, lang: str = DEFAULT_LANGUAGE,
                form: str | None = None) -> InstrumentPublic:
    """What a test form needs, in ``lang``: texts, options, stimuli, practice, time limits.

    With ``form`` only that form's items, in its order, and its time limit. The result is built
    field by field into types that have no key, keying, scale, feature or parameter fields.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}; use one of {list(LANGUAGES)}")
    items = instrument.items
    time_limit = instrument.time_limit
    if form is not None:
        chosen = instrument.form(form)
        items = [instrument.item(i) for i in chosen.items]
        time_limit = chosen.time_limit or time_limit
    # Validity items stay in: a form must show them, and nothing marks them as such.
    return InstrumentPublic(
        id=instrument.id, version=instrument.version, lang=lang, kind=instrument.kind,
        title=instrument.title.get(lang), instructions=instrument.instructions.get(lang),
        minutes=instrument.minutes, time_limit=time_limit,
        practice=[_public_practice(instrument, p, lang) for p in instrument.practice],
        items=[_public_item(instrument, i, lang) for i in items],
        forms=[FormPublic(id=f.id, name=f.name.get(lang), items=list(f.items),
                          time_limit=f.time_limit) for f in instrument.forms],
        provisional=instrument.provisional,
    )


def summary(instrument: Instrument) -> InstrumentSummary:
    """One line of the instrument list: id, version, title, item count, minutes, provisional."""
    return InstrumentSummary(id=instrument.id, version=instrument.version, kind=instrument.kind,
                             title=instrument.title, n_items=len(instrument.items),
                             minutes=instrument.minutes, provisional=instrument.provisional)
