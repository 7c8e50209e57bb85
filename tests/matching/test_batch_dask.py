"""The same kernel on a Dask cluster (seeker blocks as tasks, the vacancy side scattered to every
worker) gives exactly the single-process output."""
import pandas as pd
import pytest

from api.batch.runner import BatchOptions, run_batch
from api.services.matching import occupation_frame, occupation_table
from matching.batch.synthetic import generate_seekers, generate_vacancies

distributed = pytest.importorskip("distributed")


def test_dask_local_cluster_output_is_identical_to_the_single_process_run(tmp_path):
    occ = occupation_frame()
    seekers, vacancies = generate_seekers(occ, 900, seed=11), generate_vacancies(occ, 700, seed=11)
    options = BatchOptions(k=10, block_size=150, allocate=True)
    run_batch(seekers, vacancies, tmp_path / "local", occupation_table(), options)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        summary = run_batch(seekers, vacancies, tmp_path / "dask", occupation_table(), options, client=client)
    assert summary["timing"]["where"] == "dask"
    for table in ("recommendations", "referrals", "allocation", "seeker_stats"):
        pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "local" / f"{table}.parquet"),
                                      pd.read_parquet(tmp_path / "dask" / f"{table}.parquet"))
