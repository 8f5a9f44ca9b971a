"""What Azure ML uploads for a model's steps, read with the SDK's own .amlignore handling: the
code goes, data, environments and local workspaces stay. Each step (training, batch scoring,
the drift check) uploads its model's snapshot, not the repository root, so a repository of
many models stays within AML's limits."""
from pathlib import Path

import pytest
from azureml._base_sdk_common.merkle_tree import create_merkletree
from azureml._project.ignore_file import AmlIgnoreFile, get_project_ignore_file
from azureml._restclient.constants import SNAPSHOT_MAX_FILES, SNAPSHOT_MAX_SIZE_BYTES

from tested_models import model_folders_under_test
from shared_code.aml_sdk_v1.pipeline_builder import source_directory
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.batch_scoring.azureml_pipeline import DRIVER
from shared_code.model_monitoring.drift_pipeline import SCRIPT as DRIFT_SCRIPT

LEFT_OUT = [".git/HEAD", "model_a/data/training/diabetes_training.csv",
            "model_b/data/testing/3/img.png", "virtualenvs/.venv_model_a/bin/python",
            ".venv/lib/site.py", ".tox/tests/bin/python", ".aml_workspace/index.sqlite",
            ".aml_workspace/serving/model_a/1/model.json", "testing/reports/junit.xml",
            "shared_code/amltoolbox/__pycache__/paths.cpython-311.pyc", "config.json",
            ".azureml/config.json"]


def _needed_files() -> list[str]:
    """What the steps import or read: shared_code, each model's scripts and conda file."""
    needed = ["shared_code/__init__.py", "shared_code/amltoolbox/run_context.py"]
    for folder in model_folders():
        config, steps = load_pipeline(folder.name)
        layout = config.layout
        needed += [f"{folder.name}/__init__.py", layout.relative(layout.model_config),
                   layout.relative(layout.model_module),
                   layout.relative(layout.conda_environment)]
        needed += [layout.relative(layout.script(step.script_name)) for step in steps]
    return needed


def _snapshot_files(root: Path) -> dict[str, int]:
    """{relative path: size} of the files AML would upload from `root`."""
    exclude = get_project_ignore_file(str(root)).is_file_excluded
    files, pending = {}, [("", create_merkletree(str(root), exclude))]
    while pending:
        prefix, node = pending.pop()
        for child in node.children:
            path = f"{prefix}{child.name}"
            if child.is_file():
                files[path] = (root / path).stat().st_size
            else:
                pending.append((f"{path}/", child))
    return files


def test_the_repository_root_has_an_amlignore_that_aml_reads():
    assert isinstance(get_project_ignore_file(str(REPO_ROOT)), AmlIgnoreFile)


@pytest.mark.parametrize("path", LEFT_OUT)
def test_data_environments_and_local_workspaces_are_left_out(path):
    assert AmlIgnoreFile(str(REPO_ROOT)).is_file_excluded(path)


@pytest.mark.parametrize("path", _needed_files())
def test_what_the_steps_need_is_in_the_snapshot(path):
    assert not AmlIgnoreFile(str(REPO_ROOT)).is_file_excluded(path)


@pytest.mark.parametrize("model", [folder.name for folder in model_folders_under_test()])
def test_a_models_real_snapshot_holds_its_code_and_stays_within_amls_limits(model):
    config, steps = load_pipeline(model)
    snapshot = source_directory(config, steps, roots=[DRIVER, REPO_ROOT / DRIFT_SCRIPT])
    files = _snapshot_files(snapshot)
    layout = config.layout
    assert {layout.relative(layout.script(step.script_name)) for step in steps} <= set(files)
    assert {layout.relative(layout.entry_script), DRIFT_SCRIPT,
            DRIVER.relative_to(REPO_ROOT).as_posix()} <= set(files)
    assert not [path for path in files if "/data/" in f"/{path}" or path.startswith(".tox/")]
    assert len(files) < SNAPSHOT_MAX_FILES
    assert sum(files.values()) < SNAPSHOT_MAX_SIZE_BYTES
