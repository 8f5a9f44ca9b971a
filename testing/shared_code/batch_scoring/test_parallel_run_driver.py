"""The ParallelRunStep driver: init() as a worker starts, run() on the mini-batches Azure ML
hands over (a DataFrame, a list of paths); the model's download stood in for."""
import csv
import os

import pandas as pd
import pytest

from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.serving.local_server import lay_out_model, registered_model
from shared_code.batch_scoring import parallel_run_driver
from shared_code.batch_scoring.entry_script_adapter import EntryScriptError


@pytest.fixture(autouse=True)
def _own_environment(mocker):
    """init() sets the deployment's variables in the process, as in a worker of its own."""
    mocker.patch.dict(os.environ)


@pytest.mark.parametrize("line, expected", [
    ((["a.png"], {"predictions": [3], "probabilities": [[0.5, 0.5]]}), ['a.png,3,"[0.5, 0.5]"']),
    (([7, 8], {"predictions": [1.5, 2.5]}), ["7,1.5", "8,2.5"]),
])
def test_answer_lines_are_the_local_outputs_csv(line, expected):
    assert parallel_run_driver.answer_lines(*line) == expected


def test_the_drivers_arguments_among_those_of_parallel_run_step():
    args = parallel_run_driver.driver_arguments(
        ["--logging_level", "INFO", "--model-folder", "model_a", "--model-name", "model_a",
         "--chunk-rows", "100", "--output", "/mnt/out"])
    assert (args.model_folder, args.model_name, args.model_version, args.chunk_rows) == (
        "model_a", "model_a", "latest", 100)


def _start(monkeypatch, mocker, workspace_root, model: str) -> None:
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(workspace_root))
    record = registered_model(model)
    mocker.patch.object(parallel_run_driver, "download_model",
                        return_value=(lay_out_model(record), record.sha256))
    monkeypatch.setattr("sys.argv", ["driver", "--model-folder", model, "--model-name",
                                     record.name, "--chunk-rows", "4"])
    parallel_run_driver.init()


@pytest.mark.integration
def test_a_tabular_mini_batch_is_scored_and_a_bad_row_left_out(model_a_workspace, monkeypatch,
                                                                mocker):
    _start(monkeypatch, mocker, model_a_workspace, "model_a")
    config = load_model_config(model_folder("model_a"))
    rows = pd.read_csv(next((config.folder / config.dataset("testing").path).glob("*.csv")))
    batch = rows[config.training["features"]].iloc[100:110].copy()
    batch.loc[103, "age"] = None
    lines = parallel_run_driver.run(batch)
    keys = [int(row[0]) for row in csv.reader(lines)]
    assert keys == [k for k in range(100, 110) if k != 103]  # a failure for error_threshold
    assert all(float(row[1]) > 0 for row in csv.reader(lines))


@pytest.mark.integration
def test_a_file_mini_batch_is_scored(model_b_workspace, monkeypatch, mocker):
    _start(monkeypatch, mocker, model_b_workspace, "model_b")
    config = load_model_config(model_folder("model_b"))
    paths = [str(p) for p in sorted((config.folder / config.dataset("testing").path / "7")
                                    .glob("*.png"))[:5]]
    rows = list(csv.reader(parallel_run_driver.run(paths)))
    assert [row[0] for row in rows] == paths
    assert [row[1] for row in rows].count("7") >= 4


def test_an_entry_script_that_cannot_start_fails_init(monkeypatch, mocker, tmp_path):
    mocker.patch.object(parallel_run_driver, "download_model", return_value=(tmp_path, None))
    mocker.patch.object(parallel_run_driver, "REPO_ROOT", tmp_path)
    (tmp_path / "model_x" / "config").mkdir(parents=True)
    (tmp_path / "model_x" / "config" / "entry_script.py").write_text(
        "def init():\n    raise RuntimeError('no model')\n\ndef run(data):\n    return data\n",
        encoding="utf-8")
    monkeypatch.setattr("sys.argv", ["driver", "--model-folder", "model_x", "--model-name", "x",
                                     "--chunk-rows", "4"])
    with pytest.raises(EntryScriptError, match="init\\(\\) failed: RuntimeError: no model"):
        parallel_run_driver.init()


@pytest.mark.integration
def test_a_v2_deployments_csv_files_are_scored_row_by_row(model_a_workspace, monkeypatch,
                                                          tmp_path):
    """A v2 batch deployment mounts the model, passes no arguments and hands file paths."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(model_a_workspace))
    record = registered_model("model_a")
    monkeypatch.setenv("AZUREML_MODEL_DIR", str(lay_out_model(record)))
    for name, value in (("BATCH_MODEL_FOLDER", "model_a"), ("BATCH_MODEL_NAME", record.name),
                        ("BATCH_CHUNK_ROWS", "3")):
        monkeypatch.setenv(name, value)
    monkeypatch.setattr("sys.argv", ["driver"])
    parallel_run_driver.init()
    config = load_model_config(model_folder("model_a"))
    rows = pd.read_csv(next((config.folder / config.dataset("testing").path).glob("*.csv")))
    rows[config.training["features"]].head(5).to_csv(tmp_path / "night.csv", index=False)
    lines = parallel_run_driver.run([str(tmp_path / "night.csv")])
    assert [row[0] for row in csv.reader(lines)] == [f"night.csv:{r}" for r in range(5)]
