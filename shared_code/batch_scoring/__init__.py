"""Batch scoring: a model's own entry script over a file, a folder or a registered dataset.

A wing beside the toolbox's core (shared_code/amltoolbox never imports it): the command
line reaches it through `python -m shared_code.amltoolbox score`, and Azure ML through the
driver script `parallel_run_driver.py` that a ParallelRunStep runs.

- entry_script_adapter: init() once, run() per chunk, rejected items isolated (shared by
  the local scorer and the ParallelRunStep driver, so batch and online answers agree);
- inputs: CSV/Parquet read in chunks, image folders walked lazily, registered datasets;
- outputs: the answers and the rejects, written to temporary names and renamed;
- scoring: worker processes, a bounded number of chunks in flight, the summary;
- run_record: a batch scoring recorded as a run of the local workspace.
"""
