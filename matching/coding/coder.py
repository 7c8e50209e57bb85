"""Hybrid title coder: n-gram + embedding features, fitted blend, calibrated confidence.

Use :func:`code_titles` (or :meth:`HybridTitleCoder.code_many`) for a batch: one call embeds every
title at once. A title an organisation has already coded by hand (its *organisation aliases*,
normalised title → code) is answered from that table with confidence 1.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from matching.coding.blend import FEATURES, softmax
from matching.coding.calibration import IsotonicMap
from matching.coding.hierarchy import HeadNounPrior, group_maximum
from matching.coding.semantic import SemanticIndex, index_texts
from matching.title_coder import TitleCoder, is_chinese, normalise_title
from models.occupation import OccupationCandidate

# ``encode(texts)`` → L2-normalised query embeddings, shape (len(texts), dim).
Encoder = Callable[[list[str]], np.ndarray]
DEFAULT_CHOICE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Coding:
    """The coder's answer for one title.

    ``confidence`` is the calibrated probability (0–1) that ``code`` is right; ``needs_choice`` is
    True when it is below the threshold the caller gave, and a person should pick one of
    ``candidates`` (best first, at most ``k``). ``source`` is ``"model"`` or ``"organisation"``.
    """

    title: str
    code: str
    name_zh: str
    name_en: str
    confidence: float
    needs_choice: bool
    candidates: list[OccupationCandidate] = field(default_factory=list)
    candidate_names_en: list[str] = field(default_factory=list)
    source: str = "model"


def lang_of(title: str) -> str:
    """``zh`` when the title has a CJK ideograph, else ``en``."""
    return "zh" if is_chinese(title) else "en"


class HybridTitleCoder:
    """Code job titles (zh or en) to CSCO 2022 detailed occupations.

    Parameters
    ----------
    occupations, titles_en : DataFrame
        ``csco22_occupations.csv`` and ``csco22_titles_en.csv`` as read by the edge.
    label_embeddings, document_embeddings : ndarray
        Embeddings of :func:`matching.coding.semantic.index_texts` (see :class:`SemanticIndex`).
    encode : Encoder
        Embeds query titles with the same model as the index.
    params : dict, optional
        Fitted blend weights and calibration (``matching/data/title_coder_params.json``):
        ``{"features": [...], "weights": {"zh": [...], "en": [...]},
        "calibration": {"zh": {"x", "y"}, "en": {...}}}``. Without it only :meth:`features` works
        (that is how the benchmark fits it).
    """

    def __init__(self, occupations: pd.DataFrame, titles_en: pd.DataFrame, label_embeddings: np.ndarray,
                 document_embeddings: np.ndarray, encode: Encoder, params: Mapping | None = None) -> None:
        self.ngram = TitleCoder().fit(occupations, titles_en)
        texts = index_texts(occupations, titles_en)
        if not np.array_equal(texts.codes, self.ngram.codes_):
            raise ValueError("the n-gram and embedding indexes disagree on the occupations; rebuild both")
        self.codes_ = texts.codes
        self.names_ = self.ngram.names_
        first_en = {}
        for code, titles in zip(titles_en["code"], titles_en["titles_en"].fillna("")):
            first_en.setdefault(code, titles.split("|")[0])
        self.names_en_ = np.array([first_en.get(c, "") for c in self.codes_])
        self.semantic = SemanticIndex(texts, label_embeddings, document_embeddings)
        self.head = HeadNounPrior.fit([texts.labels[i] for i in texts.label_index], texts.label_owner, texts.codes)
        self.encode = encode
        self.weights: dict[str, np.ndarray] = {}
        self.calibration: dict[str, IsotonicMap] = {}
        if params is not None:
            if list(params["features"]) != list(FEATURES):
                raise ValueError(f"params were fitted on features {params['features']}, the coder computes "
                                 f"{list(FEATURES)}; refit with bench/bench_title_coder.py --fit")
            self.weights = {lang: np.asarray(w, dtype=float) for lang, w in params["weights"].items()}
            self.calibration = {lang: IsotonicMap.from_dict(c) for lang, c in params["calibration"].items()}

    def features(self, titles: Sequence[str]) -> np.ndarray:
        """Feature tensor of shape (n_titles, n_occupations, len(FEATURES)), float32."""
        titles = list(titles)
        # The raw title, not the normalised one: the model reads ad boilerplate well enough, and on the
        # tuning split raw titles retrieved slightly better (docs/title-coder.md).
        queries = np.asarray(self.encode(titles), dtype=np.float32)
        emb = self.semantic.features(queries)
        ngram = self.ngram.scores(titles).astype(np.float32)
        n = len(titles)
        columns = {
            "ngram": ngram,
            **emb,
            "prior": np.broadcast_to(self.ngram.prior_.astype(np.float32), ngram.shape),
            "group_emb_zh": group_maximum(emb["emb_zh"], self.codes_),
            "group_emb_def": group_maximum(emb["emb_def"], self.codes_),
            "head": self.head.log_prior(titles).astype(np.float32),
        }
        out = np.empty((n, len(self.codes_), len(FEATURES)), dtype=np.float32)
        for f, name in enumerate(FEATURES):
            out[:, :, f] = columns[name]
        return out

    def probabilities(self, titles: Sequence[str], features: np.ndarray | None = None,
                      langs: Sequence[str] | None = None) -> np.ndarray:
        """Blend probability of each occupation per title, shape (n_titles, n_occupations).

        ``langs`` picks each title's weights (default: read from its characters, see :func:`lang_of`).
        """
        if not self.weights:
            raise ValueError("the coder has no fitted blend weights; pass params")
        titles = list(titles)
        x = self.features(titles) if features is None else features
        langs = np.array(list(langs) if langs is not None else [lang_of(t) for t in titles])
        out = np.zeros(x.shape[:2])
        for lang, w in self.weights.items():
            rows = langs == lang
            if rows.any():
                out[rows] = softmax(x[rows].astype(np.float64) @ w)
        return out

    def code_many(self, titles: Sequence[str], k: int = 3, threshold: float = DEFAULT_CHOICE_THRESHOLD,
                  organisation_aliases: Mapping[str, str] | None = None, lang: str | None = None) -> list[Coding]:
        """Code a batch; one :class:`Coding` per title, in order.

        ``organisation_aliases`` maps normalised titles to codes the organisation chose before.
        ``lang`` (``zh``/``en``) forces one language's blend for every title; by default each title's
        language is read from its characters.
        """
        if lang not in (None, "zh", "en"):
            raise ValueError(f"lang must be 'zh', 'en' or None, not {lang!r}")
        titles = list(titles)
        aliases = organisation_aliases or {}
        position = {c: i for i, c in enumerate(self.codes_)}
        known = [aliases.get(normalise_title(t)) for t in titles]
        todo = [i for i, code in enumerate(known) if code not in position]
        langs = [lang or lang_of(titles[i]) for i in todo]
        probs = (self.probabilities([titles[i] for i in todo], langs=langs) if todo
                 else np.zeros((0, len(self.codes_))))
        out: list[Coding | None] = [None] * len(titles)
        for i, code in enumerate(known):
            if code in position:
                j = position[code]
                out[i] = Coding(titles[i], code, self.names_[j], self.names_en_[j], 1.0, False,
                                [OccupationCandidate(code=code, name_zh=self.names_[j], score=1.0, confidence=1.0)],
                                [self.names_en_[j]], "organisation")
        for row, i, row_lang in zip(probs, todo, langs):
            top = np.argsort(-row, kind="stable")[:k]
            stated = self.calibration[row_lang](row[top]) if self.calibration else row[top]
            # Calibration is fitted on the top-1 probability; lower ranks get the same map, kept monotone.
            stated = np.minimum.accumulate(np.clip(stated, 0, 1))
            candidates = [OccupationCandidate(code=self.codes_[j], name_zh=self.names_[j], score=float(row[j]),
                                              confidence=float(s)) for j, s in zip(top, stated)]
            best = top[0]
            out[i] = Coding(titles[i], self.codes_[best], self.names_[best], self.names_en_[best],
                            float(stated[0]), bool(stated[0] < threshold), candidates,
                            [self.names_en_[j] for j in top])
        return out  # type: ignore[return-value]


def code_titles(coder: HybridTitleCoder, titles: Sequence[str], lang: str | None = None, k: int = 3,
                threshold: float = DEFAULT_CHOICE_THRESHOLD,
                organisation_aliases: Mapping[str, str] | None = None) -> list[Coding]:
    """Code job titles — vacancy titles or the past jobs of a person's work history — in one batch.

    Parameters
    ----------
    coder : HybridTitleCoder
        Built at the edge (``api.adapters.title_coding.shipped_hybrid_coder``).
    titles : sequence of str
    lang : {"zh", "en"}, optional
        Force one language's blend; default: read from each title.
    k : int
        Candidates per title.
    threshold : float
        Calibrated confidence below which ``Coding.needs_choice`` is True.
    organisation_aliases : mapping, optional
        Normalised title → code chosen before by the organisation.

    Returns
    -------
    list of Coding, one per title, in order.
    """
    return coder.code_many(titles, k=k, threshold=threshold, organisation_aliases=organisation_aliases, lang=lang)
