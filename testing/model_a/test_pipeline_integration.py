"""model_a's real pipeline, run locally in temporary workspaces: reuse, registration, bad data."""
import dataclasses
import os

import pytest
from testing_helpers import load_samples, run_model_pipeline

from model_a.aml_pipeline import CONFIG, declare_steps
from shared_code.amltoolbox.local.runner import LocalPipelineRunner
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.pipeline import registered
from shared_code.amltoolbox.records import COMPLETED, FAILED, REUSED

TABLES = load_samples(__file__, "samples_tables")

STEPS = declare_steps()
pytestmark = pytest.mark.integration

MODEL = CONFIG.folder.name
FEATURES, TARGET = CONFIG.training["features"], CONFIG.training["target"]
TRAINING = CONFIG.dataset("training")
MARKER_ENV_VAR = "LOCAL_PATH_AZUREML_MARKER"


@pytest.fixture(name="azureml_tripwire")
def fixture_azureml_tripwire(tmp_path, monkeypatch):
    """An `azureml` package that comes first on the steps' path and leaves a mark if imported.

    Importing azureml costs about a second per step, so the local path must never do it.
    """
    package = tmp_path / "tripwire" / "azureml"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "import os, pathlib\n"
        f"pathlib.Path(os.environ['{MARKER_ENV_VAR}']).write_text('imported')\n"
        "raise ImportError('the local path imported azureml')\n", encoding="utf-8")
    marker = tmp_path / "azureml_imported"
    monkeypatch.setenv(MARKER_ENV_VAR, str(marker))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(
        filter(None, [str(package.parent), os.environ.get("PYTHONPATH")])))
    return marker


def statuses(result) -> list[str]:
    """Each step's status, in order."""
    return [step.status for step in result.steps]


def registered_versions(root) -> list[int]:
    """The versions of the model registered in the workspace at `root`."""
    workspace = LocalWorkspace(root)
    versions = [m.version for m in workspace.models.list(CONFIG.model_name)]
    workspace.close()
    return versions


def test_a_rerun_reuses_what_it_may_and_registers_nothing_new(tmp_path, azureml_tripwire):
    root = tmp_path / "workspace"
    first = run_model_pipeline(MODEL, root)
    assert first.succeeded and statuses(first) == [COMPLETED] * 3
    assert first.outcome() == f"registered {CONFIG.model_name}:1"
    assert registered_versions(root) == [1]

    # Nothing changed: train is reused; evaluate runs again since the champion is new.
    second = run_model_pipeline(MODEL, root)
    assert statuses(second) == [REUSED, COMPLETED, COMPLETED]
    assert second.steps[0].reused_from == first.run_id
    assert second.outcome() == ("nothing registered: the trained model is identical to the "
                                f"champion {CONFIG.model_name}:1")
    # The champion is unchanged now, so evaluate is reused too; register always runs.
    third = run_model_pipeline(MODEL, root)
    assert statuses(third) == [REUSED, REUSED, COMPLETED]
    assert third.steps[1].reused_from == second.run_id
    assert third.steps[1].metrics == second.steps[1].metrics

    # --no-reuse runs every step; training is deterministic, so the model is the same.
    forced = run_model_pipeline(MODEL, root, reuse=False)
    assert statuses(forced) == [COMPLETED] * 3
    assert forced.outcome().startswith("nothing registered")
    assert registered_versions(root) == [1]
    assert not azureml_tripwire.exists(), "a step of the local pipeline imported azureml"


def _misspelled(frame):
    return frame.rename(columns={FEATURES[2]: FEATURES[2] + "x"})


def _non_numeric(frame):
    frame = frame.astype({FEATURES[0]: object})
    frame.iloc[3, frame.columns.get_loc(FEATURES[0])] = "forty"
    return frame


def _nan_target(frame):
    frame = frame.copy()
    frame.iloc[5, frame.columns.get_loc(TARGET)] = float("nan")
    return frame


def _training_table(change=lambda frame: frame):
    """A writer of the training table as prepare_data makes it, changed by `change`."""
    return lambda path: change(TABLES.training_table()).to_csv(path, index=False)


# The list of bad input; every variant of each is unit-tested in tabular_utils.
BAD_FILES = {
    "misspelled column": (_training_table(_misspelled), [
        f"missing the column(s) '{FEATURES[2]}' (did you mean '{FEATURES[2]}x'?)",
        "Rename them", "config/model_config.yml"]),
    "non-numeric values": (_training_table(_non_numeric), [
        f"'{FEATURES[0]}' has 1 non-numeric value(s), e.g. 'forty' in row 4", "clean the data"]),
    "NaN target": (_training_table(_nan_target), [
        f"the target '{TARGET}' is missing (NaN) in 1 row(s)", "Drop or fill those rows"]),
    "empty file": (lambda path: path.write_text("", encoding="utf-8"), [
        "file training.csv is empty", "register the dataset again"]),
}


def register_training_data(workspace, folder, write):
    """`write` a training.csv into `folder` and register it as the next training version."""
    folder.mkdir()
    write(folder / "training.csv")
    record, _ = workspace.datasets.register(TRAINING.name, TRAINING.type, folder,
                                            TRAINING.description_text(), TRAINING.tags)
    return record


@pytest.mark.parametrize("case", BAD_FILES)
def test_bad_training_data_fails_the_run_with_a_message_saying_what_to_do(tmp_path, case):
    write_bad, expected = BAD_FILES[case]
    root = tmp_path / "workspace"
    workspace = LocalWorkspace(root)
    register_training_data(workspace, tmp_path / "good", _training_table())
    bad = register_training_data(workspace, tmp_path / "bad", write_bad)
    assert bad.version == 2
    result = run_model_pipeline(MODEL, root)
    assert not result.succeeded and statuses(result) == [FAILED]
    error = result.steps[0].error
    for words in [f"dataset '{TRAINING.name}' version 2", *expected]:
        assert words in error
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, f"step 'train' failed: {error}")
    assert [(s.step, s.status, s.error) for s in recorded.steps] == [("train", FAILED, error)]
    assert workspace.models.list() == []
    workspace.close()


def test_a_missing_dataset_fails_the_run_naming_it_and_how_to_register_it(tmp_path):
    steps = [dataclasses.replace(STEPS[0], inputs={"train_data": registered(TRAINING.name, 7)}),
             *STEPS[1:]]
    workspace = LocalWorkspace(tmp_path / "workspace")
    result = LocalPipelineRunner(CONFIG, steps, workspace, report=lambda line: None).run()
    assert not result.succeeded and not result.steps
    assert f"version 7 of dataset '{TRAINING.name}' is not registered" in result.error
    assert "datasets register" in result.error
    recorded = workspace.runs.get(result.run_id)
    assert (recorded.status, recorded.error) == (FAILED, result.error)
    assert workspace.models.list() == []
    workspace.close()
