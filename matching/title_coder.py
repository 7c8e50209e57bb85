"""Job-title → CSCO 2022 occupation coder: character n-gram TF-IDF retrieval (Salton & Buckley 1988).

A free-text vacancy title in Chinese or English is compared with every detailed occupation of the
classification and the three most similar are returned with a confidence.

- Chinese titles are matched on character 1–3-grams (no word segmentation: job titles are short
  and n-grams cope with unseen compounds such as 保洁阿姨 → 保洁). Two fields are scored: the best
  cosine over the occupation's *labels* (its name and each alias, many of which are job-ad titles
  such as 叉车司机) and the cosine with its *description* (name + definition + tasks).
- English titles are matched on character 3–5-grams within words against English titles carried
  over the CSCO → ISCO-08 → O*NET bridge (``matching/data/csco22_titles_en.csv``).
- A small prior favours occupations with many aliases (the aliases come from job-board titles, so
  their number tracks how often an occupation is advertised); it mostly breaks ties between
  occupations that share an English title.

The confidence is a heuristic, not a calibrated probability: the top score times its softmax share
among the ten best candidates (temperature ``TEMPERATURE``); ``bench/bench_title_coder.py`` reports
accuracy by confidence band.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from models.occupation import OccupationCandidate

_CJK = re.compile(r"[\u3400-\u9fff]")
# Words that decorate job-ad titles without naming the work: recruiting verbs, conditions, pay,
# shift terms and forms of address (阿姨/师傅/小哥 name the worker, not the occupation).
_NOISE_ZH = re.compile(
    r"急招|招聘|诚聘|高薪|包吃住|包住|包吃|五险一金|双休|单休|长白班|长期|日结|周结|月结|计件|兼职|全职|"
    r"底薪|提成|急聘|直招|若干|名|可兼职|阿姨|大姐|师傅|小哥|人员$|工人$"
)
_BRACKETS = re.compile(r"[（(【\[][^）)】\]]*[）)】\]]")
_PUNCT = re.compile(r"[\s\-_/、，,·.。:：;；!！?？+&*#\d]+")
LABEL_WEIGHT = 0.75
PRIOR_WEIGHT = 0.04
TEMPERATURE = 0.05
N_CONTEXT = 10


def is_chinese(text: str) -> bool:
    """True when the text contains any CJK ideograph."""
    return bool(_CJK.search(text))


def normalise_title(title: str) -> str:
    """Lower-case the title and drop bracketed notes, ad boilerplate and punctuation."""
    text = _BRACKETS.sub(" ", title.strip().lower())
    if is_chinese(text):
        text = _NOISE_ZH.sub(" ", text)
    return _PUNCT.sub(" ", text).strip()


@dataclass(frozen=True)
class _Field:
    vectorizer: TfidfVectorizer
    matrix: sparse.csr_matrix  # rows are labels or documents, L2-normalised
    owner: np.ndarray  # row → occupation index


def _field(texts: list[str], owners: list[int], **vectorizer_args) -> _Field:
    # Rows are sorted by owner so that per-occupation maxima are one ``maximum.reduceat``.
    order = np.argsort(np.asarray(owners), kind="stable")
    vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32, **vectorizer_args)
    matrix = vectorizer.fit_transform([texts[i] for i in order]).tocsr()
    return _Field(vectorizer, matrix, np.asarray(owners)[order])


def _best_per_owner(field: _Field, queries: sparse.csr_matrix, n_owners: int) -> np.ndarray:
    # Cosine of each query with each label, then the maximum over each occupation's labels.
    sims = (queries @ field.matrix.T).toarray()
    owners, starts = np.unique(field.owner, return_index=True)
    out = np.zeros((sims.shape[0], n_owners), dtype=np.float64)
    out[:, owners] = np.maximum.reduceat(sims, starts, axis=1)
    return out


class TitleCoder:
    """Code free-text job titles (zh or en) to CSCO 2022 detailed occupations.

    Parameters
    ----------
    label_weight : float, default 0.75
        Weight of the name/alias match against the description match for Chinese titles (0–1).
    prior_weight : float, default 0.04
        Weight of the alias-count prior (added to a 0–1 similarity).
    temperature : float, default 0.05
        Softmax temperature used to turn scores into a confidence.

    Attributes
    ----------
    codes_ : ndarray of str, shape (n_occupations,)
    names_ : ndarray of str, shape (n_occupations,)
    prior_ : ndarray of float, shape (n_occupations,), in [0, 1]

    Examples
    --------
    >>> occupations = pd.DataFrame({"code": ["4-01-02-04", "4-09-08-01"], "level": [4, 4],
    ...     "name_zh": ["收银员", "保洁员"], "definition_zh": ["", ""], "tasks_zh": ["", ""],
    ...     "aliases": ["收银", "保洁|清洁工"]})
    >>> TitleCoder().fit(occupations).code("超市收银")[0].code
    '4-01-02-04'
    """

    def __init__(self, label_weight: float = LABEL_WEIGHT, prior_weight: float = PRIOR_WEIGHT,
                 temperature: float = TEMPERATURE) -> None:
        self.label_weight = label_weight
        self.prior_weight = prior_weight
        self.temperature = temperature

    def fit(self, occupations: pd.DataFrame, titles_en: pd.DataFrame | None = None) -> "TitleCoder":
        """Index the classification.

        Parameters
        ----------
        occupations : DataFrame
            ``csco22_occupations.csv``: ``code, level, name_zh, definition_zh, aliases`` (``|``),
            optionally ``tasks_zh``. Only level-4 rows are candidates.
        titles_en : DataFrame, optional
            ``csco22_titles_en.csv``: ``code, titles_en`` (``|``). Without it English titles are
            matched against the Chinese index only (and will mostly fail).
        """
        occ = occupations.loc[occupations["level"].astype(int) == 4].fillna("").reset_index(drop=True)
        self.codes_ = occ["code"].to_numpy(dtype=str)
        self.names_ = occ["name_zh"].to_numpy(dtype=str)
        index = {code: i for i, code in enumerate(self.codes_)}

        labels, owners = [], []
        for i, (name, aliases) in enumerate(zip(occ["name_zh"], occ["aliases"])):
            for label in [name, *[a for a in aliases.split("|") if a]]:
                labels.append(normalise_title(label))
                owners.append(i)
        tasks = occ["tasks_zh"] if "tasks_zh" in occ else pd.Series("", index=occ.index)
        documents = (occ["name_zh"] + " " + occ["definition_zh"] + " " + tasks).map(normalise_title).tolist()
        zh_args = dict(analyzer="char", ngram_range=(1, 3))
        self._labels_zh = _field(labels, owners, **zh_args)
        # The description field has its own vocabulary statistics (long texts) but must share the
        # label field's feature space to be queried with one vector, so it reuses that vocabulary.
        doc_vectorizer = TfidfVectorizer(sublinear_tf=True, dtype=np.float32,
                                         vocabulary=self._labels_zh.vectorizer.vocabulary_, **zh_args)
        self._documents_zh = _Field(doc_vectorizer, doc_vectorizer.fit_transform(documents).tocsr(),
                                    np.arange(len(occ)))

        alias_counts = occ["aliases"].map(lambda a: len([x for x in a.split("|") if x]))
        self.prior_ = (np.log1p(alias_counts) / max(np.log1p(alias_counts).max(), 1e-9)).to_numpy()

        self._labels_en = None
        if titles_en is not None:
            en_labels, en_owners = [], []
            for code, titles in zip(titles_en["code"], titles_en["titles_en"].fillna("")):
                if code in index:
                    for title in (t for t in titles.split("|") if t):
                        en_labels.append(normalise_title(title))
                        en_owners.append(index[code])
            self._labels_en = _field(en_labels, en_owners, analyzer="char_wb", ngram_range=(3, 5))
        return self

    def scores(self, titles: list[str]) -> np.ndarray:
        """Similarity of each title with each occupation, shape (n_titles, n_occupations), 0–1+prior."""
        n = len(self.codes_)
        out = np.zeros((len(titles), n))
        clean = [normalise_title(t) for t in titles]
        zh = np.array([is_chinese(t) or self._labels_en is None for t in titles])
        if zh.any():
            texts = [c for c, flag in zip(clean, zh) if flag]
            q = self._labels_zh.vectorizer.transform(texts)
            label = _best_per_owner(self._labels_zh, q, n)
            doc = (self._documents_zh.vectorizer.transform(texts) @ self._documents_zh.matrix.T).toarray()
            out[zh] = self.label_weight * label + (1 - self.label_weight) * doc
        if (~zh).any():
            texts = [c for c, flag in zip(clean, zh) if not flag]
            q = self._labels_en.vectorizer.transform(texts)
            out[~zh] = _best_per_owner(self._labels_en, q, n)
        return out + self.prior_weight * self.prior_

    def code(self, title: str, k: int = 3) -> list[OccupationCandidate]:
        """The ``k`` most likely occupations for one title, best first."""
        return self.code_many([title], k=k)[0]

    def code_many(self, titles: list[str], k: int = 3) -> list[list[OccupationCandidate]]:
        """Code a batch of titles (vectorised); one list of ``k`` candidates per title."""
        scores = self.scores(list(titles))
        results = []
        for row in scores:
            top = np.argsort(-row, kind="stable")[:max(k, N_CONTEXT)]
            s = row[top]
            share = np.exp((s - s[0]) / self.temperature)
            share /= share.sum()
            similarity = np.clip(s - self.prior_weight * self.prior_[top], 0, 1)
            confidence = np.clip(similarity * share, 0, 1)
            results.append([
                OccupationCandidate(code=self.codes_[j], name_zh=self.names_[j],
                                    score=float(similarity[i]), confidence=float(confidence[i]))
                for i, j in enumerate(top[:k])
            ])
        return results
