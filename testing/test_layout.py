"""The standard's layout: the top level, and every model folder's shape and names."""
import ast

import pytest

from shared_code.amltoolbox.layout import (ModelLayout, misnamed_folder_error,
                                           misnamed_model_folders, model_folders)
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
# The standard ships both training variants; its step 3 lets a model keep the one that fits,
# renamed train.py.
TRAIN_SCRIPTS = (("script_steps/train_tabular.py", "script_steps/train_file.py"),
                 ("script_steps/train.py",))
TESTING = ["pytest.ini", ".coveragerc", ".pylintrc", "testing_helpers.py"]
MODELS = model_folders()
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
    assert any(all((folder / script).is_file() for script in variant)
               for variant in TRAIN_SCRIPTS), f"{folder.name} has no training script"
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
