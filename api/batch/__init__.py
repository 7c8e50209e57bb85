"""Batch matching at the edge: files, checkpoints, Dask, the database and background jobs."""
