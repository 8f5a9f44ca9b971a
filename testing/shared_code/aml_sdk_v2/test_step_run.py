"""get_run_context() inside a v2 command job: the same surface as locally, through MLflow
and mltable, with no azureml (SDK v1) module imported."""
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

pytest.importorskip("mlflow", reason="the SDK v2 tests run in tox -e v2")
pytest.importorskip("mltable", reason="the SDK v2 tests run in tox -e v2")

# pylint: disable=wrong-import-position
from shared_code.amltoolbox import run_context
from shared_code.aml_sdk_v2.data_assets import write_mltable
from shared_code.aml_sdk_v2.step_io import STEP_ENV_VAR, InputSpec, StepIO, StepIOError
from shared_code.aml_sdk_v2.step_run import (MLFLOW_RUN_ID_VAR, PARENT_RUN_TAG,
                                             V2Run, V2TabularDataset)
from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.promotion.lineage import (code_version, input_dataset_versions,
                                                      pipeline_run_id)
from shared_code.amltoolbox.paths import REPO_ROOT

IO = StepIO(step="train", inputs={
    "train_data": InputSpec(type="mltable", dataset="regression-x-training-01", version="4"),
    "images": InputSpec(type="uri_folder", dataset="classification-x-training-01", version="2"),
    "model_in": InputSpec(type="uri_folder")}, outputs=("model",))


@pytest.fixture(name="mlflow_run")
def fixture_mlflow_run(tmp_path, monkeypatch):
    """A run in a local MLflow store, set as Azure ML sets a job's run; and its client."""
    from mlflow.tracking import MlflowClient
    monkeypatch.setenv("MLFLOW_ALLOW_FILE_STORE", "true")
    monkeypatch.setenv("MLFLOW_TRACKING_URI", (tmp_path / "mlruns").as_uri())
    client = MlflowClient()
    experiment = client.create_experiment("job")
    parent = client.create_run(experiment, tags={"mlflow.source.git.commit": "abc123",
                                                 "azureml.git.dirty": "False"}).info.run_id
    run_id = client.create_run(experiment, tags={PARENT_RUN_TAG: parent}).info.run_id
    monkeypatch.setenv(MLFLOW_RUN_ID_VAR, run_id)
    return client, run_id, parent


@pytest.fixture(name="table")
def fixture_table(tmp_path) -> Path:
    folder = tmp_path / "mounted" / "train_data"
    (folder / "part").mkdir(parents=True)
    pd.DataFrame({"a": [1, 2], "target": [0.5, 1.5]}).to_csv(folder / "part" / "1.csv",
                                                             index=False)
    pd.DataFrame({"a": [3], "target": [2.5]}).to_csv(folder / "2.csv", index=False)
    write_mltable(folder)
    return folder


@pytest.fixture(name="v2_run")
def fixture_v2_run(tmp_path, table, mlflow_run, monkeypatch):  # pylint: disable=unused-argument
    monkeypatch.setenv(STEP_ENV_VAR, IO.to_json())
    argv = ["--train_data", str(table), "--images", str(tmp_path / "images"),
            "--model_in", str(tmp_path / "m"), "--model", str(tmp_path / "out" / "model")]
    monkeypatch.setattr(sys, "argv", ["train.py", *argv])
    return run_context.get_run_context()


def test_a_v2_job_gets_a_v2_run_even_where_azureml_run_id_is_set(v2_run, monkeypatch):
    monkeypatch.setenv(run_context.AZUREML_RUN_ENV_VAR, "job-1")
    run_context.current_runtime.cache_clear()
    assert isinstance(run_context.get_run_context(), V2Run)
    assert isinstance(v2_run, V2Run)


def test_inputs_and_outputs_have_the_local_surface(v2_run, tmp_path):
    frame = v2_run.input_datasets["train_data"].to_pandas_dataframe()
    assert sorted(frame["a"]) == [1, 2, 3]
    assert v2_run.input_datasets["images"] == str(tmp_path / "images")
    assert v2_run.input_datasets["model_in"] == str(tmp_path / "m")
    assert Path(v2_run.output_datasets["model"]).is_dir()  # made, as a mount is


def test_lineage_reads_the_dataset_versions_the_run_and_the_code_version(v2_run, mlflow_run):
    _, _, parent = mlflow_run
    assert input_dataset_versions(v2_run) == {"train_data": "regression-x-training-01:4",
                                              "images": "classification-x-training-01:2"}
    assert pipeline_run_id(v2_run) == parent
    assert code_version(v2_run) == {"azureml.git.commit": "abc123", "azureml.git.dirty": "False"}


def test_metrics_images_and_tags_go_to_mlflow(v2_run, mlflow_run, tmp_path):
    import matplotlib.pyplot as plt
    client, run_id, _ = mlflow_run
    v2_run.log("rmse", 1.25)
    v2_run.log("note", "text is kept as a tag")
    figure = plt.figure()
    v2_run.log_image("curve", plot=figure)
    plt.close(figure)
    picture = tmp_path / "plot.png"
    picture.write_bytes(b"png")
    v2_run.log_image("from_file", path=str(picture))
    v2_run.tag("register_trained_model", True)
    data = client.get_run(run_id).data
    assert data.metrics == {"rmse": 1.25}
    assert data.tags["note"] == "text is kept as a tag"
    assert data.tags["register_trained_model"] == "True"
    assert sorted(a.path for a in client.list_artifacts(run_id, "images")) == \
        ["images/curve.png", "images/from_file.png"]
    with pytest.raises(ValueError, match="a path or a plot"):
        v2_run.log_image("nothing")


def test_a_failure_is_left_on_the_run(v2_run, mlflow_run):
    client, run_id, _ = mlflow_run
    v2_run.fail("dataset 'x' has no column 'target'")
    assert client.get_run(run_id).data.tags["error"] == "dataset 'x' has no column 'target'"


def test_a_step_outside_a_job_is_told_so(monkeypatch):
    monkeypatch.delenv(MLFLOW_RUN_ID_VAR, raising=False)
    monkeypatch.delenv("AZUREML_RUN_ID", raising=False)
    with pytest.raises(StepIOError, match="Azure ML sets them in a job"):
        V2Run.from_job(environ={STEP_ENV_VAR: IO.to_json()}, argv=[])


def test_an_unreadable_table_names_the_dataset(tmp_path):
    (tmp_path / "t").mkdir()
    dataset = V2TabularDataset("regression-x-training-01", "4", tmp_path / "t")
    with pytest.raises(DatasetReadError, match="dataset 'regression-x-training-01' version 4"):
        dataset.to_pandas_dataframe()


def test_the_v2_branch_imports_no_azureml_sdk_v1_module(tmp_path, table):
    # mltable reads through azureml-dataprep, which is not SDK v1 (azureml-core and co.)
    script = ("import sys\n"
              "from shared_code.amltoolbox.run_context import get_run_context\n"
              "run = get_run_context()\n"
              "run.input_datasets['train_data'].to_pandas_dataframe()\n"
              "loaded = sorted(m for m in sys.modules if m.startswith('azureml.') and not\n"
              "                m.startswith(('azureml.dataprep', 'azureml.mlflow')))\n"
              "print(type(run).__name__, loaded)\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO_ROOT), STEP_ENV_VAR: IO.to_json(),
           MLFLOW_RUN_ID_VAR: "job-1", "HOME": str(tmp_path)}
    argv = ["--train_data", str(table), "--images", str(tmp_path), "--model_in", str(tmp_path),
            "--model", str(tmp_path / "out")]
    result = subprocess.run([sys.executable, "-c", script, *argv], env=env, cwd=REPO_ROOT,
                            capture_output=True, text=True, timeout=600, check=True)
    assert result.stdout.strip().splitlines()[-1] == "V2Run []"
