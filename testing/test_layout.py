"""The standard's layout: the top level, and every model folder's shape and names."""
import pytest

from shared_code.amltoolbox.model_config import check_unique_names, load_model_config
from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.paths import REPO_ROOT

TOP_LEVEL = ["model_a", "model_b", "shared_code", "testing", "virtualenvs", ".gitignore",
             "LICENSE-CODE", "README.md", "tox.ini", ".ci/run", ".amlignore"]
MODEL_FOLDER = ["config/entry_script.py", "config/conda_environment.yml",
                "config/deployment_config_dev.yml", "config/deployment_config_prd.yml",
                "config/model_config.yml", "data/README.md", "documentation", "eda", "notebooks",
                "script_steps/train_tabular.py", "script_steps/train_file.py",
                "script_steps/evaluate.py", "script_steps/register.py", "aml_pipeline.py",
                "devops_pipeline.yml"]
TESTING = ["pytest.ini", ".coveragerc", ".pylintrc", "testing_helpers.py", "testing_samples"]


@pytest.mark.parametrize("entry", TOP_LEVEL)
def test_the_top_level_holds_what_the_standard_names(entry):
    assert (REPO_ROOT / entry).exists()


@pytest.mark.parametrize("entry", TESTING)
def test_testing_holds_its_config_and_helpers(entry):
    assert (REPO_ROOT / "testing" / entry).exists()


@pytest.mark.parametrize("folder", model_folders(), ids=lambda p: p.name)
def test_every_model_folder_has_the_standard_shape_and_a_mirror_under_testing(folder):
    missing = [entry for entry in MODEL_FOLDER if not (folder / entry).exists()]
    assert not missing, f"{folder.name} lacks {missing}"
    assert (REPO_ROOT / "testing" / folder.name).is_dir()


@pytest.mark.parametrize("folder", model_folders(), ids=lambda p: p.name)
def test_every_model_folder_registers_under_its_own_names(folder):
    config = load_model_config(folder)  # refuses a config that names another folder
    check_unique_names(config)


def test_data_folders_are_git_ignored_but_their_readme_is_not():
    ignore = (REPO_ROOT / ".gitignore").read_text(encoding="utf-8")
    assert "**/data/*" in ignore and "!**/data/README.md" in ignore
