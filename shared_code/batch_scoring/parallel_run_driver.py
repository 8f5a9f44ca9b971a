"""The entry script of every model's ParallelRunStep: it adapts the model's own
config/entry_script.py to the mini-batches Azure ML hands it, so no model writes one.

ParallelRunStep calls init() once per worker process, then run(mini_batch) for each
mini-batch: a pandas DataFrame for a Tabular dataset, a list of file paths for a File
dataset (azureml/pipeline/steps/parallel_run_config.py, the `entry_script` parameter:
"Each entry in mini_batch will be a filepath if input is a FileDataset, a Pandas DataFrame
if input is a TabularDataset"). Here init() downloads the registered model, lays it out as a
deployment's AZUREML_MODEL_DIR and calls the model's init(); run() hands the model's run()
the rows or images as online requests of at most serving.max_rows items (as the local
`score` command does, entry_script_adapter.py) and returns one CSV line per item scored.
With output_action 'append_row' each returned element "indicates one successful inference"
and is appended to the step's output file; an item left out counts as a failure against
error_threshold (the same docstring, `output_action` and `error_threshold`): the rejects,
logged with their message.
"""
import argparse
import logging
import os
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]  # the step's snapshot root
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

# pylint: disable=wrong-import-position  # after the snapshot root is importable
from shared_code.batch_scoring.inputs import FILE, TABLE_SUFFIXES, TABULAR, table_chunks
from shared_code.batch_scoring.outputs import csv_lines
from shared_code.batch_scoring.scoring import score_chunk, start_worker, worker_failure

LATEST = "latest"
MODEL_FOLDER_ENV_VAR = "BATCH_MODEL_FOLDER"
MODEL_NAME_ENV_VAR = "BATCH_MODEL_NAME"
CHUNK_ROWS_ENV_VAR = "BATCH_CHUNK_ROWS"
logger = logging.getLogger("batch_scoring.parallel_run_driver")
_settings: dict = {}


def driver_arguments(argv: list[str]) -> argparse.Namespace:
    """The step's own arguments, among those ParallelRunStep adds; a v2 batch deployment,
    which passes none, gives them as environment variables (azure_v2_batch.py)."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--model-folder", default=os.environ.get(MODEL_FOLDER_ENV_VAR))
    parser.add_argument("--model-name", default=os.environ.get(MODEL_NAME_ENV_VAR))
    parser.add_argument("--model-version", default=LATEST)
    parser.add_argument("--chunk-rows", type=int, default=os.environ.get(CHUNK_ROWS_ENV_VAR))
    args = parser.parse_known_args(argv)[0]
    missing = [name for name in ("model_folder", "model_name", "chunk_rows")
               if getattr(args, name) is None]
    if missing:
        parser.error(f"the driver needs --{', --'.join(m.replace('_', '-') for m in missing)}")
    args.chunk_rows = int(args.chunk_rows)
    return args


def download_model(name: str, version: str) -> tuple[Path, str | None]:
    """The registered model downloaded as <dir>/<name>/<version>/, and the sha256 the
    registration recorded (None for a model registered elsewhere)."""
    from azureml.core import Model, Run

    from shared_code.amltoolbox.promotion.registry import SHA256_PROPERTY
    workspace = Run.get_context().experiment.workspace
    model = Model(workspace, name=name, version=None if version == LATEST else int(version))
    model_dir = Path(tempfile.mkdtemp(prefix="model-"))
    model.download(target_dir=str(model_dir / model.name / str(model.version)), exist_ok=True)
    return model_dir, (model.properties or {}).get(SHA256_PROPERTY)


def init() -> None:
    """Download the model and start the model's entry script in this worker."""
    from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                              MODEL_DIR_ENV_VAR)
    args = driver_arguments(sys.argv[1:])
    environment = {}
    if not os.environ.get(MODEL_DIR_ENV_VAR):  # a v2 batch deployment has mounted it there
        model_dir, sha256 = download_model(args.model_name, args.model_version)
        environment[MODEL_DIR_ENV_VAR] = str(model_dir)
        if sha256:
            environment[EXPECTED_SHA256_ENV_VAR] = sha256
    start_worker(str(REPO_ROOT / args.model_folder / "config" / "entry_script.py"), environment,
                 str(REPO_ROOT))
    failure = worker_failure()
    if failure is not None:
        raise failure
    _settings["chunk_rows"] = args.chunk_rows


def run(mini_batch) -> list[str]:
    """One CSV line per item scored (key, then the answer's fields); rejects are logged.

    A v2 batch deployment hands every input as file paths: CSV and Parquet files are read
    and scored row by row (keyed file:row), other files as images."""
    if not hasattr(mini_batch, "iloc") and all(
            Path(p).suffix.lower() in TABLE_SUFFIXES for p in mini_batch):
        return [line for path in mini_batch for line in _table_file_lines(Path(path))]
    return _mini_batch_lines(mini_batch)


def _table_file_lines(path: Path) -> list[str]:
    lines = []
    for chunk in table_chunks((path,), _settings["chunk_rows"], str(path)):
        frame = chunk.payload.set_axis([f"{path.name}:{key}" for key in chunk.keys])
        lines += _mini_batch_lines(frame)
    return lines


def _mini_batch_lines(mini_batch) -> list[str]:
    tabular = hasattr(mini_batch, "iloc")
    keys = list(mini_batch.index) if tabular else [str(path) for path in mini_batch]
    size = _settings["chunk_rows"]
    lines = []
    for start in range(0, len(keys), size):
        part = mini_batch.iloc[start:start + size] if tabular else mini_batch[start:start + size]
        outcome = score_chunk(TABULAR if tabular else FILE, part)
        for position, message in outcome.rejects:
            logger.warning("rejected %s: %s", keys[start + position], message)
        lines += answer_lines([keys[start + p] for p in outcome.scored], outcome.columns)
    return lines


def answer_lines(keys: list, columns: dict[str, list]) -> list[str]:
    """CSV lines of a key and the answer's fields (lists as JSON), as the local output's."""
    return csv_lines(keys, columns).splitlines()
