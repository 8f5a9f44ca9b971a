"""Every model folder's notebooks run headless, top to bottom, on a workspace where its
pipeline ran (and say what to run on an empty one). New models are covered by themselves."""
import pytest
from testing_helpers import run_notebook

from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.model_config import load_model_config

MODELS = model_folders()
NOTEBOOKS = [(folder.name, notebook) for folder in MODELS
             for notebook in sorted((folder / "notebooks").glob("*.ipynb"))]
IDS = [f"{model}/{notebook.name}" for model, notebook in NOTEBOOKS]


@pytest.mark.parametrize("folder", MODELS, ids=lambda folder: folder.name)
def test_every_model_has_a_notebook(folder):
    assert any(model == folder.name for model, _ in NOTEBOOKS), f"{folder.name} has none"


@pytest.mark.integration
@pytest.mark.parametrize("model, notebook", NOTEBOOKS, ids=IDS)
def test_each_notebook_runs_and_shows_the_registered_version(model, notebook, request):
    ran = run_notebook(notebook, request.getfixturevalue(f"{model}_workspace"))
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"{load_model_config(notebook.parents[1]).model_name}:1" in ran.stdout


@pytest.mark.integration
@pytest.mark.parametrize("model, notebook", NOTEBOOKS, ids=IDS)
def test_each_notebook_says_what_to_run_on_an_empty_workspace(model, notebook, tmp_path):
    ran = run_notebook(notebook, tmp_path / "empty")
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"run tox -e pipeline -- {model}" in ran.stdout
