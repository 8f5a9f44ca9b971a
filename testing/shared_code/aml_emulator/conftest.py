"""An emulated job in this process: the emulated service answering, and the variables of a
step's job set, so that the real SDK finds its run, its workspace and its data."""
import uuid
from types import SimpleNamespace

import pytest
from azureml_fixtures import (fixture_model_a, fixture_workspace, local_workspace_of_the_test,
                              no_network)

from shared_code.aml_emulator.dataset_service import FILE, TABULAR, save_dataset
from shared_code.aml_emulator.http_transport import serve
from shared_code.aml_emulator.job_environment import dataset_variables, run_scope
from shared_code.aml_emulator.run_history import (PIPELINE_RUN_TYPE, STEP_RUN_TYPE,
                                                  new_run)
from shared_code.aml_emulator.service_standins import ROUTES
from shared_code.aml_emulator.store import RUNS, EmulatedStore
from shared_code.aml_emulator.workspace import experiment_id
from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.run_context import STEP_SPEC_ENV_VAR

__all__ = ["fixture_model_a", "fixture_workspace", "local_workspace_of_the_test", "no_network"]

EXPERIMENT = {"name": "emulated-tests", "id": experiment_id("emulated-tests")}
GIT = {GIT_COMMIT: "0123abcd", GIT_DIRTY: "False"}
TRAINING_CSV = "age,bmi,target\n50,30.5,150\n60,22.0,80\n"


@pytest.fixture(name="store")
def fixture_store(tmp_path):
    """An empty emulated workspace."""
    return EmulatedStore(tmp_path / "azureml-emulator")


@pytest.fixture(name="job")
def fixture_job(store, tmp_path, monkeypatch):
    """A step run of a pipeline run, in a job whose working directory is the current one.

    Its inputs: `train_data`, a registered Tabular dataset (direct), and `model`, an earlier
    step's output (downloaded, a saved dataset without a name); its output: `model_score`.
    """
    pipeline_run, step_run = f"pipeline-{uuid.uuid4()}", f"step-{uuid.uuid4()}"
    new_run(store, pipeline_run, EXPERIMENT, EXPERIMENT["name"], PIPELINE_RUN_TYPE,
            properties=GIT)
    new_run(store, step_run, EXPERIMENT, "evaluate", STEP_RUN_TYPE, pipeline_run, GIT)
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / "part.csv").write_text(TRAINING_CSV, encoding="utf-8")
    training = save_dataset(store, TABULAR, str(tmp_path / "tables"), "regression-t-training-01", 3)
    (tmp_path / "earlier").mkdir()
    (tmp_path / "earlier" / "model.pkl").write_bytes(b"model")
    earlier = save_dataset(store, FILE, str(tmp_path / "earlier"))
    lineage = [{"saved_id": d["saved_id"], "registered_id": d["registered_id"],
                "registered_version": str(d["version"]) if d["version"] else None,
                "input_name": name, "mode": mode, "path_on_compute": None}
               for name, mode, d in (("train_data", "direct", training),
                                     ("model", "download", earlier))]

    def record_inputs(run):
        run["input_datasets"] = lineage
    store.update(RUNS, step_run, record_inputs)
    working_directory = tmp_path / "wd"
    working_directory.mkdir()
    monkeypatch.chdir(working_directory)
    monkeypatch.delenv(STEP_SPEC_ENV_VAR, raising=False)
    variables = {**run_scope(EXPERIMENT["name"], EXPERIMENT["id"], step_run),
                 **dataset_variables({"train_data": ("direct", training["saved_id"]),
                                      "model": ("download", str(tmp_path / "earlier"))},
                                     {"model_score": str(tmp_path / "score")})}
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with serve(store, ROUTES):
        yield SimpleNamespace(store=store, run_id=step_run, pipeline_run_id=pipeline_run,
                              working_directory=working_directory, training=training,
                              properties=GIT)
