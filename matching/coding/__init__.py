"""Job-title coding v2: n-gram and sentence-embedding retrieval, a fitted blend, calibrated confidence.

- :mod:`.semantic` — the classification as texts to embed and the embedding similarity features.
- :mod:`.hierarchy` — the classification's hierarchy as features (head nouns, 小类 maxima).
- :mod:`.blend` — the conditional-logit blend of all features (weights fitted, not guessed).
- :mod:`.calibration` — isotonic map from the blend's top-1 probability to observed accuracy.
- :mod:`.coder` — :class:`HybridTitleCoder` and :func:`code_titles`, the one entry point.

The core does no I/O: the embedding model is passed in as an ``encode(texts) -> ndarray`` callable
and the index embeddings and fitted parameters as arrays / a dict (``api.adapters.title_coding`` loads them).
"""
from matching.coding.coder import Coding, HybridTitleCoder, code_titles

__all__ = ["Coding", "HybridTitleCoder", "code_titles"]
