"""model_b's notebooks run headless, top to bottom, on a workspace where the pipeline ran."""
import pytest
from testing_helpers import run_notebook

from model_b.aml_pipeline import CONFIG

NOTEBOOKS = sorted(CONFIG.layout.notebooks.glob("*.ipynb"))


def test_the_model_has_a_notebook():
    assert NOTEBOOKS, f"{CONFIG.layout.notebooks} holds no notebook"


@pytest.mark.integration
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_each_notebook_runs_and_shows_the_registered_version(notebook, model_b_workspace):
    ran = run_notebook(notebook, model_b_workspace)
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"{CONFIG.model_name}:1" in ran.stdout


@pytest.mark.integration
@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.name)
def test_each_notebook_says_what_to_run_on_an_empty_workspace(notebook, tmp_path):
    ran = run_notebook(notebook, tmp_path / "empty")
    assert ran.returncode == 0, ran.stderr[-3000:]
    assert f"run tox -e pipeline -- {CONFIG.folder.name}" in ran.stdout
