"""Build the assessment report (``models.report.Report``) from a scored ``ResultDocument``.

Pure: the caller passes the instrument definitions, bands and batteries (``ReportContext``), the
header facts it looked up (``ReportFacts``) and the matcher's output (``JobDirectionInput``); the
builder reads no file and no database, and never computes a match.

Rules stated here because they change what the reader is told:

- **Validity first.** An instrument whose validity check failed (``interpretable`` false) is shown
  with the validity warning *instead of* its scores and interpretation, in both audiences. A
  composite (G) is withheld when any of its parts is. Profiles (Holland code, values, readiness)
  come from interpretable instruments only (``assessment.scoring.build_profiles``).
- **Partial batteries.** A section exists only when one of its instruments was taken.
- **Client version:** no statistic at all; scales ordered strongest first; the charts show bands.
  **Counsellor version:** definition order, T with 95 % interval, percentile, stanine, SE, items.
- **Next step per occupation** (apply now / train first / internship): *train first* when the
  matcher named a gap (a reason of kind ``gap``) or the aptitude component is below
  ``APTITUDE_GAP`` (0–1); otherwise *internship* when readiness is low or the fit is below
  ``INTERNSHIP_FIT`` (0–100): trying the work is the safer step; otherwise *apply now*.
- **Next pathway module:** 3 (expert interview) when nothing can be interpreted or readiness is low;
  5 (skills training) when most of the top three directions need training first; 6 (internship,
  directed training) when most need an internship; 1 (job referral) when most can apply now.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

from assessment.report import texts as X
from models.instrument import Battery, Instrument, InterpretationBand
from models.report import (Audience, AptitudeSection, CounsellorNotes, DirectionItem, DirectionLine,
                           InstrumentLine, InterestSection, JobDirectionInput, JobDirectionSection,
                           MotivationSection, PathwayAdvice, Report, ReportFacts, ReportHeader, ReportLang,
                           ScoreLine, Section, ValidityFlagLine, ValidityLine, ValiditySummary, ValueLine)
from models.result import InstrumentResult, ResultDocument, ScaleScore

APTITUDE_GAP = 0.5
INTERNSHIP_FIT = 55.0
TOP_DIRECTIONS = 3
RIASEC_SCALES = {"realistic": "R", "investigative": "I", "artistic": "A", "social": "S", "enterprising": "E",
                 "conventional": "C"}
VALUE_SCALES = set(X.WORK_VALUES)
BARRIER_SCALE = "perceived_barriers"


@dataclass(frozen=True)
class ReportContext:
    """What the builder needs from the instrument bank: definitions (titles, scale metrics), the
    interpretation bands and the batteries (titles). The API passes ``instruments.registry`` data."""

    instruments: Mapping[str, Instrument]
    bands: Sequence[InterpretationBand]
    batteries: Mapping[str, Battery] = field(default_factory=dict)


def build_report(document: ResultDocument, facts: ReportFacts, direction: JobDirectionInput | None,
                 context: ReportContext, *, lang: ReportLang = "zh-CN", audience: Audience = "client",
                 generated_at: datetime | None = None, advise: Advisor | None = None) -> Report:
    """The report of ``document`` in ``lang`` for ``audience``.

    Parameters
    ----------
    document : ResultDocument
        The stored, scored result (complete or partial battery).
    facts : ReportFacts
        Header facts (pseudonymous id, optional name, centre, counsellor, report date).
    direction : JobDirectionInput or None
        The matcher's ranked occupations and programmes; None when matching was not run.
    context : ReportContext
        Instrument definitions, bands and batteries.
    lang : "zh-CN" or "en"
    audience : "client" or "counsellor"
    advise : Advisor or None
        The pathway's rule engine as the API wires it: given the assessment outcome key (see
        :func:`assessment_outcome`), the suggested next module with its reason in ``lang`` for
        ``audience``. None: the builder's own mapping (module docstring) is used.

    Examples
    --------
    >>> report = build_report(doc, facts, None, context, lang="en", audience="counsellor")  # doctest: +SKIP
    >>> report.validity.status  # doctest: +SKIP
    'ok'
    """
    if lang not in ("zh-CN", "en"):
        raise ValueError(f"lang {lang!r}: use 'zh-CN' or 'en'")
    if audience not in ("client", "counsellor"):
        raise ValueError(f"audience {audience!r}: use 'client' or 'counsellor'")
    b = _Builder(document, context, lang, audience, advise)
    validity = b.validity()
    motivation = b.motivation()
    return Report(
        lang=lang, audience=audience, generated_at=generated_at or datetime.now(timezone.utc),
        header=b.header(facts), validity=validity, aptitudes=b.aptitudes(), traits=b.traits(),
        interests=b.interests(), motivation=motivation,
        job_direction=b.job_direction(direction, validity, motivation),
        counsellor_notes=b.notes() if audience == "counsellor" else None,
        closing=X.pick(X.CLOSING[audience], lang),
        labels={**{k: X.pick(v, lang) for k, v in X.LABELS.items()},
                **{f"band_{k}": X.pick(v, lang) for k, v in X.BAND_SHORT.items()},
                **{f"component_{k}": X.pick(v, lang) for k, v in X.COMPONENT_NAMES.items()},
                **{f"mode_{k}": X.pick(v, lang) for k, v in X.MODES.items()}},
    )


Advisor = Callable[[str], PathwayAdvice | None]
"""Outcome key ('invalid', 'readiness', 'train', 'internship', 'apply', 'unknown') → suggested next module."""


def assessment_outcome(document: ResultDocument, direction: JobDirectionInput | None,
                       context: ReportContext) -> str:
    """What the result suggests for the path, as the report's outcome key: 'invalid' (nothing can be
    interpreted), 'readiness' (low readiness), 'train' / 'internship' / 'apply' (what most of the top
    directions need) or 'unknown' (no job direction). The pathway's rule engine reads it as a fact."""
    b = _Builder(document, context, "zh-CN", "counsellor")
    validity = b.validity()
    return b.outcome(direction, validity, b.motivation())[0]


class _Builder:
    """One report's state: the document, the language and the audience."""

    def __init__(self, document: ResultDocument, context: ReportContext, lang: str, audience: str,
                 advise: Advisor | None = None) -> None:
        self.doc, self.ctx, self.lang, self.audience = document, context, lang, audience
        self.advise = advise
        self.counsellor = audience == "counsellor"
        self.by_kind: dict[str, list[InstrumentResult]] = {}
        for result in document.instruments:
            self.by_kind.setdefault(result.kind, []).append(result)
        self.band_labels = {b.id: b.label.get(lang) for b in context.bands}

    # ----------------------------------------------------------------------------------- helpers
    def t(self, text: Mapping[str, str]) -> str:
        return X.pick(dict(text), self.lang)

    def title_of(self, instrument_id: str) -> str:
        inst = self.ctx.instruments.get(instrument_id)
        return inst.title.get(self.lang) if inst else instrument_id

    def metric_of(self, instrument_id: str, scale_id: str) -> str | None:
        inst = self.ctx.instruments.get(instrument_id)
        if inst is None:
            return None
        try:
            return inst.scale(scale_id).metric.get(self.lang)
        except KeyError:
            return None

    def line(self, score: ScaleScore, withheld: bool = False) -> ScoreLine:
        """A scale as this audience sees it; ``withheld`` replaces the score by the validity warning."""
        name = self.t(score.name)
        if not self.counsellor and score.scale_id in X.CLIENT_ABILITY_NAMES:
            name = self.t(X.CLIENT_ABILITY_NAMES[score.scale_id])
        if withheld:
            return ScoreLine(scale_id=score.scale_id, name=name, scored=False,
                             text=self.t(X.INSTRUMENT_INVALID[self.audience]))
        if not score.scored or score.raw is None:
            reason = self.t(score.not_scored_reason) if score.not_scored_reason else self.t(X.SECTION_NOT_SCORED)
            extra = {"items": f"{score.n_answered}/{score.n_items}"} if self.counsellor else {}
            return ScoreLine(scale_id=score.scale_id, name=name, scored=False, text=reason, **extra)
        interp = (score.interpretation or {}).get(self.audience)
        base = dict(scale_id=score.scale_id, name=name, scored=True, band=score.band,
                    band_label=self.band_labels.get(score.band) if score.band and self.counsellor else None,
                    strength=score.band in X.STRENGTH_BANDS, text=self.t(interp) if interp else None)
        if self.counsellor:
            n = score.normed
            base.update(raw=round(score.raw, 3), se=round(score.se, 3) if score.se is not None else None,
                        metric=self.metric_of(score.instrument_id, score.scale_id),
                        items=f"{score.n_answered}/{score.n_items}", details=dict(score.details) or None)
            if n is not None:
                base.update(t=round(n.t, 1), t_low=round(n.t_ci[0], 1), t_high=round(n.t_ci[1], 1),
                            percentile=round(n.percentile, 1), percentile_low=round(n.percentile_ci[0], 1),
                            percentile_high=round(n.percentile_ci[1], 1), stanine=n.stanine,
                            provisional_norms=n.provisional)
        if score.normed is not None:
            # Both audiences get the chart position; only the counsellor version prints numbers.
            n = score.normed
            base["chart"] = (round(n.t, 1), round(n.t_ci[0], 1), round(n.t_ci[1], 1))
        return ScoreLine(**base)

    def order(self, lines: list[ScoreLine]) -> list[ScoreLine]:
        """Client: strongest first (scored by T, then unscored), and the chart positions dropped, so
        no statistic reaches the client version; counsellor: definition order."""
        if self.counsellor:
            return lines
        ranked = sorted(lines, key=lambda s: (not s.scored, -(s.chart[0] if s.chart else -1.0)))
        return [s.model_copy(update={"chart": None}) for s in ranked]

    # ----------------------------------------------------------------------------------- header
    def header(self, facts: ReportFacts) -> ReportHeader:
        doc = self.doc
        battery = self.ctx.batteries.get(doc.battery_id)
        norm_group = None
        if self.counsellor:
            normed = next((s.normed for r in doc.instruments for s in r.scales if s.normed), None)
            if normed is not None:
                groups = X.join([self._norm_group_part(k, v) for k, v in normed.norm_group.items()], self.lang)
                version = f"{self.t(X.NORM_VERSION)} {normed.norm_version}"
                norm_group = f"{groups}（{version}）" if self.lang == "zh-CN" else f"{groups} ({version})"
        title = X.LABELS["title_client" if not self.counsellor else "title"]
        return ReportHeader(
            title=self.t(title), result_id=facts.result_id, person_ref=facts.person_ref,
            person_name=facts.person_name, assessed_on=facts.assessed_on or doc.scored_at.date(),
            report_date=facts.report_date,
            centre=facts.centre, counsellor=facts.counsellor,
            battery=battery.title.get(self.lang) if battery else doc.battery_id,
            instruments=[InstrumentLine(instrument_id=r.instrument_id, title=self.title_of(r.instrument_id),
                                        version=r.version, mode=r.mode, provisional=r.provisional)
                         for r in doc.instruments],
            engine_version=doc.engine_version, provisional=doc.provisional,
            provisional_note=self.t(X.PROVISIONAL_NOTE[self.audience]) if doc.provisional else None,
            norm_group=norm_group)

    def _norm_group_part(self, key: str, value: str) -> str:
        """"学历 初中" / "education junior secondary": a norm-group dimension in the reader's words."""
        name = self.t(X.NORM_GROUP_KEYS[key]) if key in X.NORM_GROUP_KEYS else key
        shown = self.t(X.EDUCATION[value]) if key == "education" and value in X.EDUCATION else value
        return f"{name} {shown}"

    # ----------------------------------------------------------------------------------- validity
    def validity(self) -> ValiditySummary:
        lines = []
        for r in self.doc.instruments:
            if not r.interpretable:
                message = self.t(X.INSTRUMENT_INVALID[self.audience])
            else:
                message = self.t(X.INSTRUMENT_WARN if r.validity else X.INSTRUMENT_OK)
            flags = []
            if self.counsellor:
                flags = [ValidityFlagLine(code=f.code, severity=f.severity, reason=self.t(f.reason),
                                          value=round(f.value, 3), threshold=round(f.threshold, 3))
                         for f in r.validity]
            lines.append(ValidityLine(instrument_id=r.instrument_id, title=self.title_of(r.instrument_id),
                                      interpretable=r.interpretable, message=message, flags=flags))
        invalid = sum(not r.interpretable for r in self.doc.instruments)
        if self.doc.instruments and invalid == len(self.doc.instruments):
            status = "all_invalid"
        elif invalid:
            status = "some_invalid"
        elif any(r.validity for r in self.doc.instruments):
            status = "warnings"
        else:
            status = "ok"
        return ValiditySummary(status=status, headline=self.t(X.VALIDITY_HEADLINE[status]), instruments=lines)

    # ----------------------------------------------------------------------------------- sections
    def _section_status(self, results: list[InstrumentResult]) -> tuple[str, str | None]:
        if all(not r.interpretable for r in results):
            return "invalid", self.t(X.INSTRUMENT_INVALID[self.audience])
        scored = [s for r in results if r.interpretable for s in r.scales if s.scored]
        if not scored:
            return "not_scored", self.t(X.SECTION_NOT_SCORED)
        return "shown", None

    def aptitudes(self) -> AptitudeSection | None:
        results = self.by_kind.get("aptitude")
        if not results:
            return None
        status, warning = self._section_status(results)
        lines = [self.line(s, withheld=not r.interpretable) for r in results for s in r.scales]
        valid_ids = {r.instrument_id for r in results if r.interpretable}
        general = None
        for composite in self.doc.composites:
            parts = self._composite_parts(composite.scale_id)
            if parts and parts <= valid_ids:
                general = self.line(composite)
        lines = self.order(lines)
        summary: list[str] = []
        if status == "shown":
            strong = [s.name for s in lines if s.scored and s.strength]
            # ``order`` put the client's lines strongest first (and dropped their chart positions).
            ranked = (sorted((s for s in lines if s.scored and s.chart), key=lambda s: -s.chart[0])
                      if self.counsellor else [s for s in lines if s.scored])
            best = X.join([s.name for s in ranked[:2]], self.lang)
            if strong:
                template = X.APTITUDE_STRENGTHS_C if self.counsellor else X.APTITUDE_STRENGTHS
                summary.append(self.t(template).format(names=X.join(strong, self.lang)))
            elif self.counsellor:
                summary.append(self.t(X.APTITUDE_NO_STRENGTH_C).format(names=best))
            else:
                summary.append(self.t(X.APTITUDE_NO_STRENGTH))
                if len(ranked) >= 2:
                    summary.append(self.t(X.APTITUDE_BEST).format(names=best))
        return AptitudeSection(instrument_ids=[r.instrument_id for r in results], status=status,
                               title=self.t(X.LABELS["aptitudes"]), warning=warning, summary=summary,
                               scales=lines if status != "invalid" else [], general=general)

    def _composite_parts(self, composite_id: str) -> set[str]:
        """Instrument ids a composite is made of (from the battery's composite definition, else V/N/S)."""
        scales = {s.scale_id: r.instrument_id for r in self.doc.instruments for s in r.scales}
        known = {"G": ("V", "N", "S")}.get(composite_id, ())
        return {scales[s] for s in known if s in scales} if known else set()

    def traits(self) -> Section | None:
        results = self.by_kind.get("trait")
        if not results:
            return None
        status, warning = self._section_status(results)
        lines = self.order([self.line(s) for r in results for s in r.scales]) if status != "invalid" else []
        summary = []
        if status == "shown":
            if self.counsellor:
                marked = [f"{s.name}{'' if self.lang == 'zh-CN' else ': '}{s.band_label}" for s in lines
                          if s.scored and s.band in ("very_low", "low", "high", "very_high")]
            else:  # the client hears what stands out, never a level label
                marked = [s.name for s in lines if s.scored and s.band in X.STRENGTH_BANDS]
            marked_t, even_t = ((X.TRAIT_MARKED_C, X.TRAIT_EVEN_C) if self.counsellor
                                else (X.TRAIT_STRENGTHS, X.TRAIT_EVEN))
            summary.append(self.t(marked_t).format(names=X.join(marked, self.lang)) if marked else self.t(even_t))
        return Section(instrument_ids=[r.instrument_id for r in results], status=status,
                       title=self.t(X.LABELS["traits"]), warning=warning, summary=summary, scales=lines)

    def interests(self) -> InterestSection | None:
        results = self.by_kind.get("interest")
        if not results:
            return None
        status, warning = self._section_status(results)
        base = dict(instrument_ids=[r.instrument_id for r in results], status=status,
                    title=self.t(X.LABELS["interests"]), warning=warning)
        if status != "shown":
            return InterestSection(**base)
        lines = [self.line(s) for r in results for s in r.scales if s.scale_id in RIASEC_SCALES]
        if not self.counsellor:
            lines = sorted(lines, key=lambda s: (not s.scored, -self._riasec_mean(s.scale_id)))
        holland = self.doc.profiles.holland
        if holland is None:
            return InterestSection(**base, scales=lines, summary=[self.t(X.SECTION_NOT_SCORED)])
        letters = [{"letter": c, "name": self.t(X.RIASEC[c]["name"]), "description": self.t(X.RIASEC[c]["text"])}
                   for c in holland.code]
        if self.counsellor:
            code_text = self.t(X.INTEREST_CODE_C).format(code=holland.code,
                                                         names=X.join([x["name"] for x in letters], self.lang))
            letter_texts = [self.t(X.INTEREST_LETTER).format(**x) for x in letters]
        else:  # plain verbs instead of the code; type names without their letters
            code_text = self.t(X.INTEREST_LIKES).format(
                names=X.join([self.t(X.RIASEC_ACTIVITY[c]) for c in holland.code], self.lang))
            letter_texts = [self.t(X.INTEREST_LETTER_CLIENT).format(**x) for x in letters]
            lines = [s.model_copy(update={"name": self.t(X.RIASEC[RIASEC_SCALES[s.scale_id]]["name"]), "chart": None})
                     for s in lines]
        flat = holland.differentiation < X.DIFFERENTIATION_LOW_CUT
        diff_text = self.t(X.DIFFERENTIATION["flat" if flat else "clear"][self.audience]).format(
            value=holland.differentiation, cut=X.DIFFERENTIATION_LOW_CUT)
        consistency_text = self.t(X.CONSISTENCY[holland.consistency][self.audience])
        summary = [code_text] + letter_texts + [consistency_text, diff_text]
        examples = [self.t(e) for c in holland.code for e in X.RIASEC[c]["examples"][:2]]
        tied = None
        if self.counsellor and holland.tied_positions:
            tied = self.t(X.TIED).format(positions=", ".join(str(p + 1) for p in holland.tied_positions))
        return InterestSection(
            **base, summary=summary, scales=lines, code=holland.code if self.counsellor else None,
            code_text=code_text, letters=letters,
            scores={k: round(v, 3) for k, v in holland.scores.items()} if self.counsellor else {},
            differentiation=round(holland.differentiation, 3) if self.counsellor else None,
            differentiation_text=diff_text, consistency=holland.consistency, consistency_text=consistency_text,
            tied_note=tied, example_occupations=examples)

    def _riasec_mean(self, scale_id: str) -> float:
        holland = self.doc.profiles.holland
        if holland is None:
            return 0.0
        return holland.scores.get(RIASEC_SCALES.get(scale_id, ""), 0.0)

    def motivation(self) -> MotivationSection | None:
        results = self.by_kind.get("motivation")
        if not results:
            return None
        status, warning = self._section_status(results)
        base = dict(instrument_ids=[r.instrument_id for r in results], status=status,
                    title=self.t(X.LABELS["motivation"]), warning=warning)
        if status != "shown":
            return MotivationSection(**base)
        scales = {s.scale_id: s for r in results for s in r.scales}
        lines = [self.line(scales[s]) for s in X.READINESS_SCALES if s in scales]
        if self.counsellor:
            lines += [self.line(scales[s]) for s in X.WORK_VALUES if s in scales]
            if BARRIER_SCALE in scales:
                lines.append(self.line(scales[BARRIER_SCALE]))
        values = [ValueLine(value=v["value"], name=self.t(X.WORK_VALUES.get(v["value"], {"zh-CN": v["value"]})),
                            rank=int(v["rank"]), score=v["score"] if self.counsellor else None)
                  for v in (self.doc.profiles.work_values or [])]
        m = self.doc.profiles.motivation
        readiness = readiness_text = None
        summary: list[str] = []
        barriers: list[dict[str, str]] = []
        if m is not None:
            readiness = m.readiness if m.readiness in ("high", "moderate", "low") else None
            readiness_text = self.t(X.READINESS[m.readiness][self.audience]) if readiness else self.t(m.readiness_text)
            weak = [s.name for s in lines if s.scale_id in X.READINESS_SCALES and s.band in ("very_low", "low")]
            if weak:
                readiness_text += " " + self.t(X.WEAK_AREAS).format(names=X.join(weak, self.lang))
            barriers = [{"code": code, "name": self.t(X.BARRIERS[code]["name"]),
                         "support": self.t(X.BARRIERS[code]["support"])}
                        for code in m.barriers if code in X.BARRIERS]
        if values:
            label = self.t(X.LABELS["values" if self.counsellor else "values_client"])
            summary.append(f"{label}{'：' if self.lang == 'zh-CN' else ': '}" + X.join([v.name for v in values[:3]], self.lang))
        if readiness_text:
            summary.append(readiness_text)
        return MotivationSection(**base, summary=summary, scales=lines, values=values, readiness=readiness,
                                 readiness_text=readiness_text, barriers=barriers)

    # ----------------------------------------------------------------------------------- direction
    def job_direction(self, direction: JobDirectionInput | None, validity: ValiditySummary,
                      motivation: MotivationSection | None) -> JobDirectionSection:
        readiness = motivation.readiness if motivation else None
        key, module = self.outcome(direction, validity, motivation)
        if validity.status == "all_invalid":
            return JobDirectionSection(available=False, note=self.t(X.DIRECTION_INVALID),
                                       next_module=self.module(key, module, motivation))
        if direction is None or not direction.available or not direction.occupations:
            note = self.t(direction.note) if direction is not None and direction.note else self.t(X.DIRECTION_UNAVAILABLE)
            return JobDirectionSection(available=False, note=note, next_module=self.module(key, module, motivation))
        occupations = [self.direction_line(item, rank, direction.programmes, readiness)
                       for rank, item in enumerate(direction.occupations, start=1)]
        programmes = [self.direction_line(item, rank, [], None) for rank, item in enumerate(direction.programmes, 1)]
        after_training = [self.direction_line(item, rank, [], None)
                          for rank, item in enumerate(direction.after_training, 1)]
        texts = [self.t(X.NEXT_STEPS_TEXT[s]) for s in dict.fromkeys(o.next_step for o in occupations) if s]
        return JobDirectionSection(available=True, occupations=occupations, programmes=programmes,
                                   after_training=after_training, next_module=self.module(key, module, motivation), next_steps_text=texts)

    def outcome(self, direction: JobDirectionInput | None, validity: ValiditySummary,
                motivation: MotivationSection | None) -> tuple[str, int]:
        """The outcome key and the builder's own module for it (see the module docstring)."""
        readiness = motivation.readiness if motivation else None
        if validity.status == "all_invalid":
            return "invalid", 3
        if direction is None or not direction.available or not direction.occupations:
            return ("readiness", 3) if readiness == "low" else ("unknown", 1)
        if readiness == "low":
            return "readiness", 3
        steps = [next_step(item, direction.programmes, readiness) if item.kind == "occupation" else None
                 for item in direction.occupations[:TOP_DIRECTIONS]]
        if steps.count("train_first") * 2 > len(steps):
            return "train", 5
        if steps.count("internship") * 2 > len(steps):
            return "internship", 6
        return "apply", 1

    def direction_line(self, item: DirectionItem, rank: int, programmes: list[DirectionItem],
                       readiness: str | None) -> DirectionLine:
        step = next_step(item, programmes, readiness) if item.kind == "occupation" else None
        fit_label = next(self.t(label) for cut, label in X.FIT_LABELS if item.fit >= cut)
        reasons = [r.zh_CN if self.lang == "zh-CN" else r.en for r in item.reasons]
        return DirectionLine(rank=rank, title=self.t(item.title), code=item.code,
                             fit=round(item.fit, 1) if self.counsellor else None, fit_label=fit_label,
                             next_step=step, next_step_label=self.t(X.NEXT_STEP[step]) if step else None,
                             reasons=reasons, components=dict(item.components) if self.counsellor else None,
                             bridging_programme=item.bridging_programme)

    def module(self, key: str, module: int, motivation: MotivationSection | None) -> PathwayAdvice:
        advised = self.advise(key) if self.advise is not None else None
        if advised is not None:
            return advised
        reason = self.t(X.MODULE_REASON[key][self.audience])
        if key == "readiness" and self.counsellor:
            weak = [s.name for s in (motivation.scales if motivation else [])
                    if s.scale_id in X.READINESS_SCALES and s.band in ("very_low", "low")]
            listed = X.join(weak, self.lang)
            reason = reason.format(weak=("" if not weak else f"（{listed}）" if self.lang == "zh-CN" else f" ({listed})"))
        return PathwayAdvice(module=module, name=self.t(X.MODULES[module]), reason=reason)

    # ----------------------------------------------------------------------------------- notes
    def notes(self) -> CounsellorNotes:
        prompts: list[str] = []
        doc = self.doc
        for r in doc.instruments:
            if not r.interpretable:
                codes = X.join([self.code_name(f.code) for f in r.validity if f.severity == "invalid"], self.lang)
                prompts.append(self.t(X.INTERVIEW["invalid"]).format(title=self.title_of(r.instrument_id), codes=codes))
        valid_scales = {s.scale_id: s for r in doc.instruments if r.interpretable for s in r.scales if s.scored}
        m = doc.profiles.motivation
        weak = [self.t(valid_scales[s].name) for s in X.READINESS_SCALES
                if s in valid_scales and valid_scales[s].band in ("very_low", "low")]
        if weak:
            prompts.append(self.t(X.INTERVIEW["weak"]).format(names=X.join(weak, self.lang)))
        if m is not None and m.barriers:
            names = [self.t(X.BARRIERS[b]["name"]) for b in m.barriers if b in X.BARRIERS]
            prompts.append(self.t(X.INTERVIEW["barriers"]).format(names=X.join(names, self.lang)))
        es = valid_scales.get("emotional_stability")
        if es is not None and es.band in ("very_low", "low"):
            prompts.append(self.t(X.INTERVIEW["emotional"]).format(band=self.band_labels.get(es.band, es.band)))
        holland = doc.profiles.holland
        if holland is not None:
            if holland.differentiation < X.DIFFERENTIATION_LOW_CUT:
                prompts.append(self.t(X.INTERVIEW["flat"]))
            if holland.consistency == "low":
                prompts.append(self.t(X.INTERVIEW["inconsistent"]))
        very_low = [self.t(s.name) for s in valid_scales.values() if s.method in ("irt", "rate_corrected")
                    and s.band == "very_low"]
        if very_low:
            prompts.append(self.t(X.INTERVIEW["low_aptitude"]).format(names=X.join(very_low, self.lang)))
        if holland is not None:
            prompts.append(self.t(X.INTERVIEW["interest_aptitude"]).format(
                letter=f"{self.t(X.RIASEC[holland.code[0]]['name'])} ({holland.code[0]})"))
        prompts.append(self.t(X.INTERVIEW["default"]))
        return CounsellorNotes(interview_prompts=prompts, item_flags=self.item_flags(),
                               method_notes=[self.t(n) for n in X.METHOD_NOTES])

    def code_name(self, code: str) -> str:
        """A validity indicator's name in the report's language (the code itself when unknown)."""
        return self.t(X.VALIDITY_CODES[code]) if code in X.VALIDITY_CODES else code

    def item_flags(self) -> list[str]:
        """Per scale: items answered of given, scales not scored, speeded-test accuracy, validity values."""
        out = []
        for r in self.doc.instruments:
            title = self.title_of(r.instrument_id)
            for s in r.scales:
                scale = self.t(s.name)
                if not s.scored:
                    reason = self.t(s.not_scored_reason) if s.not_scored_reason else ""
                    out.append(self.t(X.ITEM_FLAGS["not_scored"]).format(title=title, scale=scale, reason=reason))
                elif s.n_answered < s.n_items:
                    out.append(self.t(X.ITEM_FLAGS["answered"]).format(title=title, scale=scale,
                                                                       answered=s.n_answered, items=s.n_items))
                if s.method == "rate_corrected" and {"rights", "wrongs", "accuracy"} <= set(s.details):
                    out.append(self.t(X.ITEM_FLAGS["speed"]).format(title=title, scale=scale, **{
                        k: s.details[k] for k in ("rights", "wrongs", "accuracy")}))
            for f in r.validity:
                out.append(self.t(X.ITEM_FLAGS["flag"]).format(title=title, code=self.code_name(f.code), value=f.value,
                                                               threshold=f.threshold,
                                                               severity=self.t(X.SEVERITY[f.severity])))
        return out


def next_step(item: DirectionItem, programmes: Sequence[DirectionItem], readiness: str | None) -> str:
    """apply_now / train_first / internship for one ranked occupation (rule in the module docstring).

    A programme that targets the occupation (same code or a parent/child code) makes *train first*
    concrete, but the gap itself decides: a named gap or an aptitude component below ``APTITUDE_GAP``.
    """
    aptitude = item.components.get("aptitude")
    gap = any(r.kind == "gap" for r in item.reasons) or (aptitude is not None and aptitude < APTITUDE_GAP)
    if gap:
        return "train_first"
    if readiness == "low" or item.fit < INTERNSHIP_FIT:
        return "internship"
    return "apply_now"
