"""Instrument definitions (测评工具): scales, items, keys, item parameters, norms and texts.

Two families of types live here:

* the *full* definition (``Instrument``, ``Item``, ``Scale``, ``ItemParameters`` …), which the server
  loads from ``instruments/`` and the scoring engine reads. It contains answer keys, reverse keying,
  validity rules and IRT parameters, all of which are secret;
* the *public* view (``InstrumentPublic``, ``ItemPublic``, ``OptionPublic`` …), which carries only
  what a test form needs: text, options, instructions, time limits, practice items and SVG stimuli.
  The public types forbid extra fields and have no field that could hold a key, a keying direction,
  a scale assignment or a parameter, so a public view cannot leak them even by mistake.

All user-facing text is a ``LocalizedText``: a ``{"zh-CN": ..., "en": ...}`` map with both languages.
"""
from __future__ import annotations

import math
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator

LANGUAGES: tuple[str, ...] = ("zh-CN", "en")
"""Every user-facing text exists in these languages; zh-CN is the default."""

DEFAULT_LANGUAGE = "zh-CN"

Lang = Literal["zh-CN", "en"]
Identifier = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", max_length=64)]


class LocalizedText(RootModel[dict[str, str]]):
    """A text in every supported language, e.g. ``{"zh-CN": "工资", "en": "wages"}``.

    Exactly the languages in ``LANGUAGES``; none may be blank.
    """

    @model_validator(mode="after")
    def _both_languages(self) -> LocalizedText:
        missing = [lang for lang in LANGUAGES if not (self.root.get(lang) or "").strip()]
        if missing:
            raise ValueError(f"missing translation: {', '.join(missing)}")
        unknown = sorted(set(self.root) - set(LANGUAGES))
        if unknown:
            raise ValueError(f"unknown language(s) {unknown}; allowed: {list(LANGUAGES)}")
        return self

    def get(self, lang: str = DEFAULT_LANGUAGE) -> str:
        """The text in ``lang`` (``zh-CN`` or ``en``)."""
        if lang not in LANGUAGES:
            raise ValueError(f"unsupported language {lang!r}; use one of {list(LANGUAGES)}")
        return self.root[lang]


class _Definition(BaseModel):
    """Definition types: unknown fields are an error, so a typo in YAML never passes silently."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# ---------------------------------------------------------------------------------------------
# Full (secret) definition
# ---------------------------------------------------------------------------------------------


class Option(_Definition):
    """One answer option of a choice item: text, an SVG drawing, or both."""

    id: Identifier
    text: LocalizedText | None = None
    svg: str | None = Field(None, description="Inline SVG markup of the option drawing.")

    @model_validator(mode="after")
    def _has_content(self) -> Option:
        if self.text is None and self.svg is None:
            raise ValueError(f"option {self.id!r} has neither text nor svg")
        return self


class ResponseFormat(_Definition):
    """How a person answers.

    ``choice``: the item brings its own options (A–D) and one is keyed correct.
    ``likert``: ordered categories shared by all items using the format, scored 1..points.
    ``same_different``: two options, ``same`` and ``different`` (clerical comparison).
    """

    kind: Literal["choice", "likert", "same_different"]
    anchors: list[LocalizedText] = Field(
        default_factory=list, description="Likert category labels, lowest first; scored 1..n."
    )

    @model_validator(mode="after")
    def _anchors_fit_kind(self) -> ResponseFormat:
        if self.kind == "likert" and not 3 <= len(self.anchors) <= 7:
            raise ValueError("a likert format needs 3 to 7 anchors")
        if self.kind != "likert" and self.anchors:
            raise ValueError(f"a {self.kind} format takes no anchors")
        return self

    @property
    def points(self) -> int:
        """Number of Likert categories (0 for non-Likert formats)."""
        return len(self.anchors)


class ItemParameters(_Definition):
    """IRT parameters of one item, in the IRT (not slope–intercept) parameterisation.

    ``2PL``/``3PL``: P(correct | θ) = c + (1 − c) / (1 + exp(−a(θ − b))).
    ``GRM`` (Samejima 1969): P(Y ≥ k | θ) = 1 / (1 + exp(−a(θ − b_k))), thresholds increasing.

    Ranges (outside them a value is almost surely a data error): discrimination ``a`` in
    [0.2, 4.0]; difficulty ``b`` and thresholds in [−4, 4] logits; guessing ``c`` in [0, 0.5].
    """

    model: Literal["2PL", "3PL", "GRM"]
    a: float = Field(ge=0.2, le=4.0, description="Discrimination (slope), per logit.")
    b: float | None = Field(None, ge=-4.0, le=4.0, description="Difficulty, θ logits.")
    c: float | None = Field(None, ge=0.0, le=0.5, description="Lower asymptote (guessing).")
    thresholds: list[Annotated[float, Field(ge=-4.0, le=4.0)]] | None = Field(
        None, description="GRM category thresholds b_k, strictly increasing, θ logits."
    )
    provisional: bool = Field(
        description="True when not estimated from real responses (see instruments/PROVISIONAL.md)."
    )

    @model_validator(mode="after")
    def _fields_fit_model(self) -> ItemParameters:
        if self.model in ("2PL", "3PL"):
            if self.b is None:
                raise ValueError(f"{self.model} needs b")
            if self.thresholds:
                raise ValueError(f"{self.model} takes no thresholds")
            if self.model == "3PL" and self.c is None:
                raise ValueError("3PL needs c")
            if self.model == "2PL" and self.c not in (None, 0.0):
                raise ValueError("2PL takes no c (use 3PL)")
        else:
            if not self.thresholds or len(self.thresholds) < 2:
                raise ValueError("GRM needs at least two thresholds")
            if any(not hi > lo for lo, hi in zip(self.thresholds, self.thresholds[1:])):
                raise ValueError("GRM thresholds must be strictly increasing")
            if self.b is not None or self.c is not None:
                raise ValueError("GRM takes thresholds, not b or c")
        for name in ("a", "b", "c"):
            value = getattr(self, name)
            if value is not None and not math.isfinite(value):
                raise ValueError(f"{name} must be finite")
        return self


class ValidityRule(_Definition):
    """Marks an item as a response-validity indicator rather than a trait measure.

    ``infrequency``: almost everyone answers within ``expected`` (Likert categories, 1-based);
    an answer outside suggests careless or random responding.
    ``consistency``: the item restates ``pair_with``; answers more than ``max_gap`` categories
    apart (after reverse keying when ``opposite`` is true) count as inconsistent.
    """

    kind: Literal["infrequency", "consistency"]
    expected: list[int] = Field(default_factory=list)
    pair_with: str | None = None
    opposite: bool = False
    max_gap: int = Field(2, ge=1, le=6)

    @model_validator(mode="after")
    def _fields_fit_kind(self) -> ValidityRule:
        if self.kind == "infrequency" and not self.expected:
            raise ValueError("an infrequency rule needs its expected categories")
        if self.kind == "consistency" and not self.pair_with:
            raise ValueError("a consistency rule needs pair_with")
        return self


FeatureValue = int | float | str | bool


class Item(_Definition):
    """One item with everything the scorer needs (key, keying, scale, parameters): secret.

    ``features`` are the item-generation features difficulty was derived from (e.g. rotation
    angle, number of arithmetic steps); they are not served either, as they hint at difficulty.
    """

    id: Identifier
    scale: Identifier | None = Field(None, description="Scored scale; None only for validity items.")
    text: LocalizedText
    stimulus_svg: str | None = Field(None, description="Inline SVG markup shown above the options.")
    pair: list[LocalizedText] | None = Field(
        None, min_length=2, max_length=2, description="The two strings a clerical item compares."
    )
    response_format: Identifier | None = Field(
        None, description="Key into Instrument.response_formats; None means the default."
    )
    options: list[Option] = Field(default_factory=list, description="Own options (choice items).")
    key: Identifier | None = Field(None, description="Id of the correct option; secret.")
    reverse: bool = Field(False, description="Likert item keyed against its scale; secret.")
    tags: list[str] = Field(default_factory=list, description="Content tags, e.g. 'notice', 'wages'.")
    features: dict[str, FeatureValue] = Field(default_factory=dict)
    validity: ValidityRule | None = None
    parameters: ItemParameters | None = None


class PracticeItem(_Definition):
    """An unscored practice item shown before the timed part.

    Practice items are teaching material, not part of any bank or form, so their answer and
    feedback are shown to the client; they must never be reused as scored items.
    """

    id: Identifier
    text: LocalizedText
    stimulus_svg: str | None = None
    pair: list[LocalizedText] | None = Field(None, min_length=2, max_length=2)
    options: list[Option] = Field(default_factory=list)
    answer: Identifier | None = Field(None, description="Correct option id; None for Likert.")
    feedback: LocalizedText


class CompositePart(_Definition):
    """One component of a composite score: a scale of some instrument with a weight."""

    instrument: Identifier
    scale: Identifier
    weight: float = Field(1.0, gt=0)


class ScoringRule(_Definition):
    """How a scale is scored (the engine in ``assessment/`` implements it).

    ``irt``: θ by EAP from the items' ``parameters``; metric logits.
    ``mean``: mean of item scores 1..points after reverse keying; metric same as the anchors.
    ``rate_corrected``: (right − wrong_penalty · wrong) per minute of testing time.
    """

    method: Literal["irt", "mean", "rate_corrected"]
    wrong_penalty: float = Field(
        0.0, ge=0.0, le=1.0, description="For rate_corrected: 1/(options − 1) is the usual choice."
    )


class Scale(_Definition):
    """A scored scale. Its items are the items naming it; the list is derived, not declared."""

    id: Identifier
    name: LocalizedText
    description: LocalizedText
    scoring: ScoringRule
    metric: LocalizedText = Field(description="What a raw score means, e.g. 'θ (logits)'.")
    use: Literal["guidance", "support_planning"] = Field(
        "guidance",
        description=(
            "support_planning: the scale describes needs (e.g. perceived barriers) and must "
            "never enter eligibility, ranking or any decision that could screen a person out."
        ),
    )


class Composite(_Definition):
    """A score defined from other scales, e.g. GATB general learning ability G = V + N + S.

    ``method``: ``weighted_mean_theta`` = Σ wᵢθᵢ / Σ wᵢ over the parts' θ estimates.
    """

    id: Identifier
    name: LocalizedText
    description: LocalizedText
    method: Literal["weighted_mean_theta"]
    parts: list[CompositePart] = Field(min_length=2)
    metric: LocalizedText
    norms: NormTableRef | None = None
    interpretations: list[Interpretation] = Field(default_factory=list)
    content_hash: str | None = Field(
        None, description="SHA-256 over the parts' instrument content hashes and the weights."
    )

    @property
    def norms_current(self) -> bool:
        """True when the norm table was built for exactly the current parts."""
        return (self.norms is not None and self.content_hash is not None
                and self.norms.instrument_hash == self.content_hash)


class TimeLimit(_Definition):
    """Time allowed. ``seconds`` for the whole part; ``speeded`` tests are scored as a rate."""

    seconds: int = Field(gt=0, le=4 * 3600, description="Seconds for the whole timed part.")
    speeded: bool = Field(False, description="True when speed is part of what is measured.")


class Form(_Definition):
    """A fixed selection of items, e.g. a short paper form, in administration order."""

    id: Identifier
    name: LocalizedText
    items: list[Identifier] = Field(min_length=1)
    time_limit: TimeLimit | None = None


class InterpretationBand(_Definition):
    """A score band on the T scale (50 ± 10): ``t_min`` ≤ T < ``t_max``."""

    id: Identifier
    t_min: float = Field(ge=0, le=100)
    t_max: float = Field(ge=0, le=100)
    label: LocalizedText

    @model_validator(mode="after")
    def _ordered(self) -> InterpretationBand:
        if not self.t_min < self.t_max:
            raise ValueError(f"band {self.id!r}: t_min must be below t_max")
        return self


class Interpretation(_Definition):
    """What a score in one band means, in two registers.

    ``client``: plain words, strengths first, readable with primary schooling.
    ``counsellor``: technical, for the vocational counsellor (职业指导师).
    """

    scale: Identifier
    band: Identifier
    client: LocalizedText
    counsellor: LocalizedText


class NormTableRef(_Definition):
    """Where the norm table lives and for which content it was built.

    The CSV has columns ``scale, group_age_band, group_education, mean, sd, n``; a score is
    normed as z = (raw − mean) / sd, T = 50 + 10 z, with raw on the scale's ``metric``.
    ``instrument_hash`` is the content hash the table was built for; when it differs from the
    instrument's own hash the items changed after norming and the table must not be used.
    """

    file: str
    provisional: bool
    instrument_hash: str | None = None
    rows: list[NormRow] = Field(default_factory=list, description="The table, loaded with it.")


class NormRow(_Definition):
    """One row of a norm table: the distribution of a scale's raw score in one group."""

    scale: Identifier
    group_age_band: str
    group_education: str
    mean: float
    sd: float = Field(gt=0)
    n: int = Field(ge=0)


class AgeBand(_Definition):
    """An age band of the norm tables, ages ``min_age``..``max_age`` inclusive, in years."""

    id: Identifier
    min_age: int = Field(ge=14, le=100)
    max_age: int = Field(ge=14, le=100)


class EducationGroup(_Definition):
    """An education group of the norm tables: the ``EducationLevel`` codes it pools."""

    id: Identifier
    levels: list[str] = Field(min_length=1)


class NormGroups(_Definition):
    """The grouping every norm table uses; ``all`` (every age or education) always exists too."""

    age_bands: list[AgeBand] = Field(min_length=1)
    education_groups: list[EducationGroup] = Field(min_length=1)

    def age_band_of(self, age: int) -> str:
        """The id of the age band containing ``age`` (years), or ``all`` if none does."""
        for band in self.age_bands:
            if band.min_age <= age <= band.max_age:
                return band.id
        return "all"

    def education_group_of(self, level: str) -> str:
        """The id of the education group pooling ``level``, or ``all`` if none does."""
        for group in self.education_groups:
            if level in group.levels:
                return group.id
        return "all"


class Instrument(_Definition):
    """A full instrument definition as loaded and validated from ``instruments/<id>/``.

    ``version`` is ``<base_version>+<content_hash[:12]>``: the hash covers everything scoring
    depends on (items, keys, keying, parameters, scales, forms, response formats), so a changed
    item changes the version and no longer matches norms built for the old content.
    """

    id: Identifier
    base_version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    content_hash: str = Field(pattern=r"^[0-9a-f]{64}$")
    kind: Literal["aptitude", "trait", "interest", "motivation"]
    title: LocalizedText
    instructions: LocalizedText
    response_formats: dict[Identifier, ResponseFormat]
    default_response_format: Identifier
    scales: list[Scale]
    items: list[Item]
    practice: list[PracticeItem] = Field(default_factory=list)
    forms: list[Form] = Field(default_factory=list)
    time_limit: TimeLimit | None = None
    minutes: float = Field(gt=0, description="Typical time for the whole instrument, minutes.")
    norms: NormTableRef | None = None
    interpretations: list[Interpretation] = Field(default_factory=list)
    sources: list[str] = Field(default_factory=list, description="Citations for content.")
    provisional: bool = Field(description="True while parameters or norms are provisional.")

    @property
    def version(self) -> str:
        """``<base_version>+<first 12 hex of the content hash>``."""
        return f"{self.base_version}+{self.content_hash[:12]}"

    @property
    def norms_current(self) -> bool:
        """True when the norm table was built for exactly this content."""
        return self.norms is not None and self.norms.instrument_hash == self.content_hash

    def scale(self, scale_id: str) -> Scale:
        """The scale with id ``scale_id``; KeyError if there is none."""
        for scale in self.scales:
            if scale.id == scale_id:
                return scale
        raise KeyError(f"{self.id}: no scale {scale_id!r}")

    def scale_items(self, scale_id: str) -> list[Item]:
        """The scored items of one scale, in definition order."""
        return [item for item in self.items if item.scale == scale_id]

    def item(self, item_id: str) -> Item:
        """The item with id ``item_id``; KeyError if there is none."""
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"{self.id}: no item {item_id!r}")

    def form(self, form_id: str) -> Form:
        """The form with id ``form_id``; KeyError if there is none."""
        for form in self.forms:
            if form.id == form_id:
                return form
        raise KeyError(f"{self.id}: no form {form_id!r}")

    def response_format_of(self, item: Item) -> ResponseFormat:
        """The response format an item is answered in."""
        return self.response_formats[item.response_format or self.default_response_format]


class BatteryPart(_Definition):
    """One instrument in a battery, given as a fixed form, the whole instrument or adaptively.

    ``mode``: ``form`` uses ``form``; ``all`` every item; ``adaptive`` a CAT over the bank that
    stops at ``target_se`` (θ logits) or ``max_items``.
    """

    instrument: Identifier
    mode: Literal["all", "form", "adaptive"] = "all"
    form: Identifier | None = None
    max_items: int | None = Field(None, ge=1)
    target_se: float | None = Field(None, gt=0, le=1.0)
    minutes: float = Field(gt=0, description="Typical time for this part, minutes.")

    @model_validator(mode="after")
    def _mode_fields(self) -> BatteryPart:
        if self.mode == "form" and not self.form:
            raise ValueError(f"{self.instrument}: mode 'form' needs a form id")
        if self.mode == "adaptive" and not (self.max_items and self.target_se):
            raise ValueError(f"{self.instrument}: mode 'adaptive' needs max_items and target_se")
        return self


class Battery(_Definition):
    """An ordered set of instrument parts given in one sitting (or across sittings)."""

    id: Identifier
    title: LocalizedText
    description: LocalizedText
    parts: list[BatteryPart] = Field(min_length=1)
    composites: list[Identifier] = Field(
        default_factory=list, description="Composites (e.g. G) this battery reports."
    )

    @property
    def minutes(self) -> float:
        """Typical total time, minutes."""
        return sum(part.minutes for part in self.parts)


# ---------------------------------------------------------------------------------------------
# Public view: only what a test form needs; no key, keying, scale, feature or parameter fields
# ---------------------------------------------------------------------------------------------


class _Public(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OptionPublic(_Public):
    """An answer option as shown: id, text in one language, optional SVG drawing."""

    id: str
    text: str | None = None
    svg: str | None = None


class ItemPublic(_Public):
    """An item as a test form shows it, in one language. Carries no key and no parameters."""

    id: str
    text: str
    stimulus_svg: str | None = None
    pair: list[str] | None = None
    format: Literal["choice", "likert", "same_different"]
    options: list[OptionPublic]


class PracticeItemPublic(ItemPublic):
    """An unscored practice item; its answer and feedback are teaching material, not secret."""

    answer: str | None = None
    feedback: str


class FormPublic(_Public):
    """A fixed form: its id, name, item ids in order and time limit."""

    id: str
    name: str
    items: list[str]
    time_limit: TimeLimit | None = None


class InstrumentPublic(_Public):
    """What a test form needs to present an instrument in one language; nothing secret."""

    id: str
    version: str
    lang: Lang
    kind: str
    title: str
    instructions: str
    minutes: float
    time_limit: TimeLimit | None = None
    practice: list[PracticeItemPublic]
    items: list[ItemPublic]
    forms: list[FormPublic]
    provisional: bool


SAME_DIFFERENT_OPTIONS: tuple[tuple[str, LocalizedText], ...] = (
    ("same", LocalizedText({"zh-CN": "相同", "en": "Same"})),
    ("different", LocalizedText({"zh-CN": "不同", "en": "Different"})),
)
"""Option ids and labels of every ``same_different`` item, in display order."""


class InstrumentSummary(_Public):
    """One line of the instrument list (``GET /v1/instruments``)."""

    id: str
    version: str
    kind: str
    title: LocalizedText
    n_items: int
    minutes: float
    provisional: bool


Composite.model_rebuild()
NormTableRef.model_rebuild()
