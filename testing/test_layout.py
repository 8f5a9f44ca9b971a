"""The standard's layout: the top level, and every model folder's shape and names."""
import ast
import shutil
import subprocess

import pytest

from tested_models import model_folders_under_test
from shared_code.amltoolbox.layout import ModelLayout, misnamed_folder_error, misnamed_model_folders
from shared_code.amltoolbox.own_code import describe_foreign_imports, foreign_imports
from shared_code.amltoolbox.model_config import check_unique_names, load_model_config
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import load_pipeline, validate_steps

TOP_LEVEL = ["model_a", "model_b", "shared_code", "testing", "virtualenvs", ".gitignore",
             "LICENSE-CODE", "README.md", "tox.ini", ".ci/run", ".amlignore"]
MODEL_FOLDER = ["config/entry_script.py", "config/conda_environment.yml",
                "config/inference_config.yml",
                "config/deployment_config_dev.yml", "config/deployment_config_prd.yml",
                "config/model_config.yml", "data/README.md", "documentation", "eda", "notebooks",
                "script_steps/evaluate.py", "script_steps/register.py", "model.py",
                "aml_pipeline.py", "devops_pipeline.yml"]
TESTING = ["pytest.ini", ".coveragerc", ".pylintrc", "testing_helpers.py"]
MODELS = model_folders_under_test()
IDS = [folder.name for folder in MODELS]


@pytest.mark.parametrize("entry", TOP_LEVEL)
def test_the_top_level_holds_what_the_standard_names(entry):
    assert (REPO_ROOT / entry).exists()


@pytest.mark.parametrize("entry", TESTING)
def test_testing_holds_its_config_and_helpers(entry):
    assert (REPO_ROOT / "testing" / entry).exists()


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_every_model_folder_has_the_standard_shape_and_a_mirror_under_testing(folder):
    missing = [entry for entry in MODEL_FOLDER if not (folder / entry).exists()]
    assert not missing, f"{folder.name} lacks {missing}"
    # The training script is the one its declaration names (train.py or a variant of it):
    # a rename is an edit of the script and of declare_steps(), nothing else.
    config, steps = load_pipeline(folder.name)
    trains = [step for step in steps if "model" in step.outputs]
    assert trains and all(config.layout.script(step.script_name).is_file() for step in trains), \
        f"{folder.name} declares no step that writes the model"
    assert (REPO_ROOT / "testing" / folder.name / "testing_samples").is_dir()


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_every_model_folders_pipeline_runs_scripts_it_has(folder):
    config, steps = load_pipeline(folder.name)
    validate_steps(steps, config.layout.script_steps)


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_every_model_folder_registers_under_its_own_names(folder):
    config = load_model_config(folder)  # refuses a config that names another folder
    check_unique_names(config)


def _imported(script) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(script.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
        elif isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
    return names


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_no_step_script_imports_another(folder):
    """Steps share model.py, never each other: so a step's code is its own script and the
    model's shared code (local/fingerprint.py relies on it)."""
    scripts = sorted(ModelLayout(folder).script_steps.glob("*.py"))
    own = {f"{folder.name}.script_steps.{script.stem}" for script in scripts}
    offending = {script.name: sorted(_imported(script) & own) for script in scripts}
    assert not {name: found for name, found in offending.items() if found}


@pytest.mark.parametrize("folder", MODELS, ids=IDS)
def test_every_model_folder_runs_its_own_code(folder):
    assert not foreign_imports(folder), describe_foreign_imports(folder)


def test_no_model_folder_has_a_name_python_cannot_import():
    assert not misnamed_model_folders(), [str(misnamed_folder_error(folder))
                                          for folder in misnamed_model_folders()]


def test_data_folders_are_git_ignored_but_their_readme_is_not():
    ignore = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "**/data/*" in ignore and "!**/data/README.md" in ignore


@pytest.mark.skipif(shutil.which("git") is None or not (REPO_ROOT / ".git").exists(),
                    reason="needs git and a clone")
@pytest.mark.parametrize("path, ignored", [
    ("model_a/data/training/diabetes_training.csv", True),
    ("model_b/data/testing/0/image.png", True),
    ("testing/model_a/testing_samples/data/data_test_case_1.xlsx", False),
    ("testing/model_b/testing_samples/data/case/1.png", False),
    ("testing/model_a/testing_samples/data/diabetes_sample.csv", False)])
def test_every_models_data_is_ignored_but_the_tests_sample_data_is_tracked(path, ignored):
    checked = subprocess.run(["git", "check-ignore", "--no-index", "-q", path], cwd=REPO_ROOT,
                             check=False, timeout=60)
    assert checked.returncode == (0 if ignored else 1), path
