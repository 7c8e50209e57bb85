"""The hybrid title coder's edge: it loads with no network and ignores index embeddings that are stale."""
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

from api.adapters.title_coding import _load_if_current, read_tables, save_embeddings
from matching.coding.semantic import index_texts

ROOT = Path(__file__).resolve().parents[2]

# Any attempt to open a socket fails, and proxies point nowhere: the coder must still load and code.
OFFLINE_SCRIPT = """
import socket
def refuse(*args, **kwargs):
    raise OSError("network access attempted")
socket.socket.connect = refuse
socket.socket.connect_ex = refuse
socket.create_connection = refuse
socket.getaddrinfo = refuse
from api.adapters.title_coding import code_job_titles
print(code_job_titles(["叉车司机（持证）"], threshold=0.5)[0].code)
"""


def test_the_coder_loads_and_codes_with_the_network_cut_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1", HTTPS_PROXY="http://127.0.0.1:9", HTTP_PROXY="http://127.0.0.1:9",
               PATHFIT_DATA_DIR=str(tmp_path))
    done = subprocess.run([sys.executable, "-c", OFFLINE_SCRIPT], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "6-30-05-01"
    assert not any(tmp_path.rglob("*.npz"))  # the shipped embeddings were current: nothing rebuilt


def test_index_embeddings_built_for_other_tables_are_not_used(tmp_path):
    occupations, titles_en = read_tables()
    texts = index_texts(occupations, titles_en)
    edited = occupations.copy()
    edited.loc[edited["level"] == 4, "aliases"] = edited.loc[edited["level"] == 4, "aliases"].str.cat(["|x"] * (edited["level"] == 4).sum())
    stale = index_texts(edited, titles_en)
    path = tmp_path / "emb.npz"
    save_embeddings(path, stale, {"labels": np.zeros((len(stale.labels), 4), np.float16),
                                  "documents": np.zeros((len(stale.documents), 4), np.float16)})
    assert stale.fingerprint() != texts.fingerprint()
    assert _load_if_current(path, texts) is None
    assert _load_if_current(path, stale) is not None
