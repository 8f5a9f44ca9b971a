"""The git state Azure ML records for a model's run: the SDK's own, dirty of the model's code."""
import shutil

import pytest
from testing_helpers import committed_repository

from shared_code.aml_sdk_v1.git_state import git_state

pytestmark = pytest.mark.skipif(not shutil.which("git"), reason="needs git")
DIRTY = "azureml.git.dirty"


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A git repository with model_x/a.py and shared_code/b.py committed."""
    return committed_repository(tmp_path, ["model_x/a.py", "shared_code/b.py"])


def test_another_models_change_leaves_the_models_state_clean(repo, monkeypatch):
    monkeypatch.delenv("AZUREML_GIT_DIRTY", raising=False)
    (repo / "model_y").mkdir()
    (repo / "model_y" / "c.py").write_text("C = 3\n", encoding="utf-8")
    assert git_state(repo)[DIRTY] == "True"  # the SDK's own answer: the whole work tree
    state = git_state(repo, ["model_x", "shared_code"])
    assert state[DIRTY] == "False"
    assert state["azureml.git.commit"] == git_state(repo)["azureml.git.commit"]


def test_a_change_to_the_shared_code_makes_it_dirty(repo, monkeypatch):
    monkeypatch.delenv("AZUREML_GIT_DIRTY", raising=False)
    (repo / "shared_code" / "b.py").write_text("A = 2\n", encoding="utf-8")
    assert git_state(repo, ["model_x", "shared_code"])[DIRTY] == "True"
