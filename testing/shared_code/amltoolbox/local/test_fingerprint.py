"""What a step's result depends on: the basis of step reuse."""
from pathlib import Path

import pytest

from shared_code.amltoolbox.layout import ModelLayout
from shared_code.amltoolbox.local.fingerprint import common_code_hash, step_fingerprint

STEP_SCRIPTS = {"train.py", "evaluate.py"}


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A repository with shared code, pinned requirements and one model folder."""
    files = {"shared_code/amltoolbox/tool.py": "x = 1",
             "virtualenvs/requirements.txt": "pandas==2",
             "model_x/aml_pipeline.py": "STEPS = []",
             "model_x/model.py": "def train(): pass",
             "model_x/config/model_config.yml": "model: {}",
             "model_x/script_steps/train.py": "train",
             "model_x/script_steps/evaluate.py": "evaluate",
             "model_x/script_steps/helpers.py": "helper",
             "model_x/data/training/train.csv": "a,b",
             "model_x/documentation/model_x.md": "doc",
             "model_x/notebooks/explore.py": "n",
             "model_x/eda/profile.py": "e"}
    for name, content in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(content, encoding="utf-8")
    return tmp_path


def _common(repo):
    return common_code_hash(ModelLayout(repo / "model_x"), STEP_SCRIPTS, repo_root=repo)


@pytest.mark.parametrize("edited", ["shared_code/amltoolbox/tool.py",
                                    "virtualenvs/requirements.txt", "model_x/aml_pipeline.py",
                                    "model_x/config/model_config.yml", "model_x/model.py",
                                    "model_x/script_steps/helpers.py"])
def test_code_every_step_depends_on_changes_the_common_hash(repo, edited):
    before = _common(repo)
    (repo / edited).write_text("changed", encoding="utf-8")
    assert _common(repo) != before


@pytest.mark.parametrize("edited", ["model_x/script_steps/train.py",
                                    "model_x/data/training/train.csv",
                                    "model_x/documentation/model_x.md",
                                    "model_x/notebooks/explore.py", "model_x/eda/profile.py"])
def test_step_scripts_data_and_documents_do_not_change_the_common_hash(repo, edited):
    before = _common(repo)
    (repo / edited).write_text("changed", encoding="utf-8")
    assert _common(repo) == before


def test_a_new_shared_module_changes_the_common_hash(repo):
    before = _common(repo)
    (repo / "shared_code" / "amltoolbox" / "new.py").write_text("", encoding="utf-8")
    assert _common(repo) != before


def test_the_step_fingerprint_follows_script_arguments_inputs_and_champion(repo):
    script = repo / "model_x" / "script_steps" / "train.py"
    base = {"common_code": "c", "script": script, "arguments": ["--a"],
            "input_hashes": {"x": "1"}, "champion": "model_x:1:abc"}
    fingerprint = step_fingerprint(**base)
    assert step_fingerprint(**base) == fingerprint
    changes = [{"common_code": "d"}, {"arguments": ["--b"]}, {"input_hashes": {"x": "2"}},
               {"input_hashes": {"y": "1"}}, {"champion": "model_x:2:def"}, {"champion": None}]
    assert len({step_fingerprint(**{**base, **change}) for change in changes} | {fingerprint}) == 7
    script.write_text("edited", encoding="utf-8")
    assert step_fingerprint(**base) != fingerprint


def test_input_order_does_not_matter():
    rest = {"common_code": "c", "script": Path(__file__), "arguments": [], "champion": None}
    first = step_fingerprint(input_hashes={"a": "1", "b": "2"}, **rest)
    second = step_fingerprint(input_hashes={"b": "2", "a": "1"}, **rest)
    assert first == second


def test_a_step_depends_on_its_own_script_and_not_on_the_other_steps(repo):
    """Editing evaluate.py re-runs evaluate and reuses train; model.py, which both import,
    is common code."""
    steps = repo / "model_x" / "script_steps"
    train = step_fingerprint("common", steps / "train.py", [], {})
    evaluate = step_fingerprint("common", steps / "evaluate.py", [], {})
    (steps / "evaluate.py").write_text("evaluate, edited", encoding="utf-8")
    assert step_fingerprint("common", steps / "train.py", [], {}) == train
    assert step_fingerprint("common", steps / "evaluate.py", [], {}) != evaluate


@pytest.mark.parametrize("edited", ["model_y/model.py", "testing/test_x.py", "README.md"])
def test_another_model_the_tests_and_the_readme_are_not_a_models_code(repo, edited):
    before = _common(repo)
    (repo / edited).parent.mkdir(parents=True, exist_ok=True)
    (repo / edited).write_text("edited", encoding="utf-8")
    assert _common(repo) == before
