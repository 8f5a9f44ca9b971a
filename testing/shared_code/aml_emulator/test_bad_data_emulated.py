"""Bad data under the Azure ML emulator: refused as the local runner refuses it, with the same
message; the failing step is recorded as Azure ML records it, and nothing is registered.

Run on each reference model (testing/reference_models.py) whose training data is a Tabular
dataset; the bad tables are made from the model's own training table and its configured
features and target.
"""
import dataclasses
from types import SimpleNamespace

import pandas as pd
import pytest
from reference_models import reference_models
from testing_helpers import run_model_pipeline

from shared_code.aml_emulator.command import emulated_workspace_dir
from shared_code.aml_emulator.pipeline_runner import EmulatedPipelineRunner
from shared_code.aml_emulator.store import RUNS
from shared_code.amltoolbox.local.dataset_preparation import ensure_datasets
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import TABULAR, load_pipeline, registered
from shared_code.amltoolbox.records import FAILED

pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]

TABULAR_MODELS = [name for name in reference_models()
                  if load_pipeline(name)[0].dataset("training").type == TABULAR]


def _misspelled(frame, features, _target):
    return frame.rename(columns={features[0]: features[0] + "x"})


def _non_numeric(frame, features, _target):
    frame = frame.astype({features[0]: object})
    frame.iloc[3, frame.columns.get_loc(features[0])] = "forty"
    return frame


def _nan_target(frame, _features, target):
    frame = frame.copy()
    frame.iloc[5, frame.columns.get_loc(target)] = float("nan")
    return frame


BAD_TABLES = {"misspelled column": _misspelled, "non-numeric values": _non_numeric,
              "NaN target": _nan_target}


@pytest.fixture(name="local", params=TABULAR_MODELS)
def fixture_local(request, tmp_path):
    """A local workspace with the model's datasets registered, and the model's pipeline."""
    config, steps = load_pipeline(request.param)
    workspace = LocalWorkspace(tmp_path / "workspace")
    ensure_datasets(config, steps, workspace, report=lambda line: None)
    yield workspace, config, steps
    workspace.close()


def register_training(workspace, config, folder, write) -> None:
    """Register what `write(path)` writes as the next version of the training dataset."""
    spec = config.dataset("training")
    folder.mkdir()
    write(folder / "training.csv")
    workspace.datasets.register(spec.name, spec.type, folder, spec.description_text(), spec.tags)


def run_emulated(workspace, config, steps):
    """The pipeline under the emulator, in the local workspace's emulated workspace: its
    result, and the emulated workspace's store."""
    runner = EmulatedPipelineRunner(config, steps, config.folder.name, workspace,
                                    emulated_workspace_dir(workspace), report=lambda line: None)
    return SimpleNamespace(**vars(runner.run()), store=runner.store)


@pytest.mark.parametrize("case", BAD_TABLES)
def test_a_bad_training_table_fails_train_with_the_local_runners_message(local, tmp_path, case):
    workspace, config, steps = local
    spec = config.dataset("training")
    good = pd.concat(pd.read_csv(file) for file in
                     sorted(workspace.datasets.get(spec.name).path.rglob("*.csv")))
    features, target = config.training["features"], config.training["target"]
    register_training(workspace, config, tmp_path / "bad",
                      lambda path: BAD_TABLES[case](good, features, target).to_csv(path,
                                                                                   index=False))
    local_error = run_model_pipeline(config.folder.name, workspace.root).steps[0].error
    assert f"dataset '{spec.name}' version 2" in local_error

    result = run_emulated(workspace, config, steps)
    [train] = result.steps
    assert (result.status, train.name, train.status, train.error) == (
        FAILED, "train", FAILED, local_error)
    # run.fail() posted the message; the script's exit status made the run Failed.
    recorded = result.store.read(RUNS, train.run_id)
    assert (recorded["status"], recorded["error"]) == (FAILED, local_error)
    assert result.store.read(RUNS, result.run_id)["status"] == FAILED
    assert result.store.model_versions(config.model_name) == []


def test_a_dataset_version_that_is_not_registered_fails_the_run_as_locally(local):
    workspace, config, steps = local
    spec = config.dataset("training")
    steps = [dataclasses.replace(steps[0], inputs={"train_data": registered(spec.name, 7)}),
             *steps[1:]]
    result = run_emulated(workspace, config, steps)
    assert result.status == FAILED and not result.steps
    assert f"version 7 of dataset '{spec.name}' is not registered" in result.error
    assert result.store.read(RUNS, result.run_id)["status"] == FAILED
    assert result.store.model_versions(config.model_name) == []


def test_an_empty_training_file_is_refused_as_azure_ml_refuses_its_registration(local, tmp_path):
    workspace, config, steps = local
    spec = config.dataset("training")
    register_training(workspace, config, tmp_path / "empty",
                      lambda path: path.write_text("", encoding="utf-8"))
    result = run_emulated(workspace, config, steps)
    assert result.status == FAILED and not result.steps
    assert f"dataset '{spec.name}' version 2 cannot be registered in Azure ML" in result.error
    assert "Fix the source data and register the dataset again" in result.error
    assert result.store.model_versions(config.model_name) == []
