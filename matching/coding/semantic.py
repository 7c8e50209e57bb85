"""The classification as texts for a sentence-embedding model, and embedding similarity features.

Each detailed occupation (level 4 of CSCO 2022) contributes three kinds of text:

- Chinese *labels*: its name and every alias (many aliases are job-board titles such as 叉车司机);
- English *labels*: the titles carried over the CSCO → ISCO-08 → O*NET bridge
  (``csco22_titles_en.csv``);
- one *document*: name and definition (``name：definition``), embedded as an E5 "passage".

Labels are embedded like queries (short text against short text is a symmetric task; E5's authors
recommend the ``query:`` prefix on both sides for it — Wang et al. 2022, *Text Embeddings by
Weakly-Supervised Contrastive Pre-training*). The feature for an occupation is the best cosine over
its labels of a kind, so one well-matching alias is enough.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np
import pandas as pd

ALIAS_SEPARATOR = "|"


@dataclass(frozen=True)
class IndexTexts:
    """What to embed for the index, and which occupation each label belongs to.

    Attributes
    ----------
    codes : ndarray of str, shape (n_occupations,)
        Level-4 codes in file order (sorted, so each 小类 is contiguous).
    labels : list of str
        Unique label texts (zh and en); embed as queries.
    label_owner : ndarray of int, shape (n_pairs,)
        Occupation index of each (label, occupation) pair; sorted ascending.
    label_index : ndarray of int, shape (n_pairs,)
        Row of ``labels`` for each pair.
    label_is_zh : ndarray of bool, shape (n_pairs,)
        Whether the pair comes from the Chinese names/aliases (else from the English titles).
    documents : list of str, shape (n_occupations,)
        ``name：definition`` per occupation; embed as passages.
    """

    codes: np.ndarray
    labels: list[str]
    label_owner: np.ndarray
    label_index: np.ndarray
    label_is_zh: np.ndarray
    documents: list[str]

    def fingerprint(self) -> str:
        """SHA-256 of every text and pairing: changes whenever the index would embed differently."""
        h = hashlib.sha256()
        for part in (self.labels, self.documents, list(self.codes)):
            h.update("\x1f".join(part).encode("utf-8"))
            h.update(b"\x1e")
        h.update(np.stack([self.label_owner, self.label_index, self.label_is_zh]).astype(np.int64).tobytes())
        return h.hexdigest()


def index_texts(occupations: pd.DataFrame, titles_en: pd.DataFrame | None = None) -> IndexTexts:
    """Collect the texts to embed from ``csco22_occupations.csv`` (and ``csco22_titles_en.csv``)."""
    occ = occupations.loc[occupations["level"].astype(int) == 4].fillna("").reset_index(drop=True)
    codes = occ["code"].to_numpy(dtype=str)
    position = {code: i for i, code in enumerate(codes)}
    pairs: list[tuple[int, str, bool]] = []
    for i, (name, aliases) in enumerate(zip(occ["name_zh"], occ["aliases"])):
        for label in dict.fromkeys([name, *[a for a in aliases.split(ALIAS_SEPARATOR) if a]]):
            pairs.append((i, label, True))
    if titles_en is not None:
        for code, titles in zip(titles_en["code"], titles_en["titles_en"].fillna("")):
            if code in position:
                for title in dict.fromkeys(t for t in titles.split(ALIAS_SEPARATOR) if t):
                    pairs.append((position[code], title, False))
    pairs.sort(key=lambda p: p[0])
    labels = sorted({p[1] for p in pairs})
    row = {label: j for j, label in enumerate(labels)}
    documents = [f"{n}：{d}" if d else n for n, d in zip(occ["name_zh"], occ["definition_zh"])]
    return IndexTexts(codes, labels, np.array([p[0] for p in pairs]), np.array([row[p[1]] for p in pairs]),
                      np.array([p[2] for p in pairs]), documents)


def _max_per_owner(sims: np.ndarray, owner: np.ndarray, n_owners: int) -> np.ndarray:
    # ``owner`` is sorted, so each occupation's pairs are one contiguous run: one reduceat.
    out = np.zeros((sims.shape[0], n_owners), dtype=np.float32)
    if owner.size:
        owners, starts = np.unique(owner, return_index=True)
        out[:, owners] = np.maximum.reduceat(sims, starts, axis=1)
    return out


@dataclass(frozen=True)
class SemanticIndex:
    """Embedded index; ``features`` turns query embeddings into per-occupation cosines.

    Parameters
    ----------
    texts : IndexTexts
    label_embeddings : ndarray, shape (len(texts.labels), dim)
        L2-normalised query-style embeddings of ``texts.labels``.
    document_embeddings : ndarray, shape (n_occupations, dim)
        L2-normalised passage-style embeddings of ``texts.documents``.
    """

    texts: IndexTexts
    label_embeddings: np.ndarray
    document_embeddings: np.ndarray

    def __post_init__(self) -> None:
        if self.label_embeddings.shape[0] != len(self.texts.labels):
            raise ValueError(f"label_embeddings has {self.label_embeddings.shape[0]} rows for "
                             f"{len(self.texts.labels)} labels; rebuild the index embeddings")
        if self.document_embeddings.shape[0] != len(self.texts.documents):
            raise ValueError(f"document_embeddings has {self.document_embeddings.shape[0]} rows for "
                             f"{len(self.texts.documents)} documents; rebuild the index embeddings")

    def features(self, queries: np.ndarray) -> dict[str, np.ndarray]:
        """Cosines of each query with each occupation, each of shape (n_queries, n_occupations).

        ``emb_zh``: best over the Chinese labels; ``emb_en``: best over the English titles (0 where an
        occupation has none); ``emb_def``: with the name-and-definition passage.
        """
        t = self.texts
        n = len(t.codes)
        sims = queries.astype(np.float32) @ self.label_embeddings.astype(np.float32).T
        pair_sims = sims[:, t.label_index]
        zh = t.label_is_zh
        return {
            "emb_zh": _max_per_owner(pair_sims[:, zh], t.label_owner[zh], n),
            "emb_en": _max_per_owner(pair_sims[:, ~zh], t.label_owner[~zh], n),
            "emb_def": queries.astype(np.float32) @ self.document_embeddings.astype(np.float32).T,
        }
