"""A reference model's batch scoring pipeline (`aml_pipeline --batch --emulate-azureml`) under the
Azure ML emulator: the ParallelRunStep built as --submit builds it, its entry script run by
the emulator's workers (parallel_run.py) over the model's testing dataset, with the model
the emulated training pipeline registered."""
import csv
from pathlib import Path

import pytest
from reference_models import reference_models

from shared_code.aml_emulator.command import emulated_workspace_dir, run_emulated
from shared_code.aml_emulator.parallel_run import driver_options, size_in_bytes
from shared_code.aml_emulator.store import BLOBS, EmulatedStore
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.batch_scoring.azureml_pipeline import ANSWERS_FILE, run_emulated_batch

MODELS = reference_models()


@pytest.mark.parametrize("text, expected", [("1MB", 1 << 20), ("5", 5), ("2 kb", 2048)])
def test_mini_batch_sizes_are_read_as_the_sdk_writes_them(text, expected):
    assert size_in_bytes(text) == expected


def test_the_drivers_options_leave_the_entry_scripts_own():
    options = driver_options(["--scoring_module_name", "driver.py", "--mini_batch_size", "10",
                              "--error_threshold", "-1", "--output", "/out", "--input_fds_0",
                              "images", "--model-name", "model_b"])
    assert (options.scoring_module_name, options.input_fds_0, options.error_threshold) == (
        "driver.py", "images", -1)


def _scoring_dataset(config, workspace_root: Path, tmp_path: Path) -> tuple[str, int]:
    """The model's testing dataset as a batch would get it (a table without its target
    column), registered in the local workspace; its name and item count."""
    import pandas as pd
    testing = config.dataset("testing")
    source = config.folder / testing.path
    name = testing.name.replace("testing", "scoring")
    if testing.type == "tabular":
        frame = pd.concat(pd.read_csv(f) for f in sorted(source.glob("*.csv")))
        source = tmp_path / "scoring" / "rows.csv"
        source.parent.mkdir()
        frame.drop(columns=[config.training["target"]]).to_csv(source, index=False)
        count = len(frame)
    else:
        count = sum(1 for p in source.rglob("*") if p.is_file())
    workspace = LocalWorkspace(workspace_root)
    try:
        workspace.datasets.register(name, testing.type, source, "batch scoring test data")
    finally:
        workspace.close()
    return name, count


@pytest.mark.integration
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
@pytest.mark.parametrize("model", MODELS)
def test_the_batch_pipeline_scores_a_dataset_under_the_emulator(model, tmp_path, capsys):
    root = tmp_path / "workspace"
    config, steps = load_pipeline(model)
    workspace = LocalWorkspace(root)
    try:
        assert run_emulated(config, steps, model, workspace, report=print) == 0
        dataset, count = _scoring_dataset(config, root, tmp_path)
        assert run_emulated_batch(config, steps, model, dataset, local_workspace=workspace,
                                  report=print) == 0, capsys.readouterr().out
    finally:
        workspace.close()
    store = EmulatedStore(emulated_workspace_dir_of(root))
    [answers_file] = store.path(BLOBS).rglob(ANSWERS_FILE)
    answers = list(csv.reader(answers_file.read_text(encoding="utf-8").splitlines()))
    assert len(answers) == count
    assert len({row[0] for row in answers}) == count  # one line per row or file, keyed
    assert all(float(row[1]) == float(row[1]) for row in answers)  # a number, not NaN
    [log] = [p for p in store.path(BLOBS).rglob("std_log.txt")
             if "mini-batch" in p.read_text(encoding="utf-8")]
    assert f"{count} item(s) answered, 0 failed" in log.read_text(encoding="utf-8")


def emulated_workspace_dir_of(root: Path) -> Path:
    """The emulated workspace of the local workspace at `root`."""
    workspace = LocalWorkspace(root)
    try:
        return emulated_workspace_dir(workspace)
    finally:
        workspace.close()
