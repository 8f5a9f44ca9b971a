"""The runner's reuse rules on the reference models' real pipelines, continuing the session's
first run in a copy of its workspace: an unchanged champion lets evaluate be reused, --no-reuse
runs every step, and the local path never imports azureml.

These are the toolbox's behaviour, tested on the models the repository has
(testing/reference_models.py). The model kit asks of every model only what the standard does:
its rerun reuses the training and registers nothing new. A model written from the document
may import azureml (`Run.get_context()`) and need not train deterministically.
"""
import os
import shutil

import pytest
from reference_models import reference_models
from testing_helpers import registered_versions, run_model_pipeline, statuses

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.records import COMPLETED, REUSED

pytestmark = pytest.mark.integration
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


@pytest.mark.parametrize("model", reference_models())
def test_an_unchanged_champion_reuses_evaluate_and_no_reuse_runs_every_step(
        model, request, tmp_path, azureml_tripwire):
    name = load_model_config(REPO_ROOT / model).model_name
    session_root, first = request.getfixturevalue(f"{model}_first_run")
    root = shutil.copytree(session_root, tmp_path / "workspace")
    # The first rerun evaluates again: the champion is the version the first run registered.
    second = run_model_pipeline(model, root)
    assert statuses(second) == [REUSED, COMPLETED, COMPLETED]
    assert second.steps[0].reused_from == first.run_id

    # The champion is unchanged now, so evaluate is reused too; register always runs.
    third = run_model_pipeline(model, root)
    assert statuses(third) == [REUSED, REUSED, COMPLETED]
    assert third.steps[1].reused_from == second.run_id
    assert third.steps[1].metrics == second.steps[1].metrics

    # --no-reuse runs every step, under the tripwire; training is deterministic, so the model
    # is the same.
    forced = run_model_pipeline(model, root, reuse=False)
    assert statuses(forced) == [COMPLETED] * 3
    assert forced.outcome().startswith("nothing registered")
    assert registered_versions(root, name) == [1]
    assert not azureml_tripwire.exists(), "a step of the local pipeline imported azureml"
