"""A rename is an edit in one place: the shared tests read a model's script names from its
declare_steps(), so renaming a script step there (the standard's train_tabular.py -> train.py)
keeps them green."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from testing_helpers import copy_repository, subprocess_env

from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.paths import REPO_ROOT

TESTING = REPO_ROOT / "testing"
MODEL_TESTS = {TESTING / folder.name for folder in model_folders()}
# The standard's two training variants, which its step 3 says to rename train.py.
RENAMEABLE = re.compile(r"\btrain_(tabular|file)\.py\b")
# The shared tests that read a model's declaration, run in the renamed copy.
DECLARATION_READERS = ("testing/test_layout.py", "testing/shared_code/amltoolbox/test_pipeline.py",
                       "testing/shared_code/aml_sdk_v1/test_pipeline_builder.py",
                       "testing/shared_code/aml_sdk_v1/test_model_pipelines.py",
                       "testing/model_a/test_aml_pipeline.py", "testing/model_a/test_train.py")


def _shared_test_files() -> list[Path]:
    return [path for path in TESTING.rglob("*.py")
            if not any(folder in path.parents for folder in MODEL_TESTS)]


def test_no_shared_test_spells_a_training_scripts_file_name():
    spelled = [f"{path.relative_to(REPO_ROOT)}:{number}"
               for path in _shared_test_files()
               for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
               if RENAMEABLE.search(line) and path.name != Path(__file__).name]
    assert not spelled, f"read the script's name from declare_steps() instead: {spelled}"


def rename_train_script(repo: Path, model: str, old: str, new: str = "train") -> None:
    """What a user does by hand: rename the script, its name in declare_steps() and its test."""
    scripts, tests = repo / model / "script_steps", repo / "testing" / model
    (scripts / f"{old}.py").rename(scripts / f"{new}.py")
    (tests / f"test_{old}.py").rename(tests / f"test_{new}.py")
    for path in (repo / model / "aml_pipeline.py", tests / f"test_{new}.py"):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(rf"\b{old}\b", new, text), encoding="utf-8")


@pytest.mark.integration
def test_renaming_model_as_train_script_keeps_the_shared_tests_green(tmp_path):
    repo = copy_repository(tmp_path / "repo")
    rename_train_script(repo, "model_a", "train_tabular")
    env = subprocess_env(repo, tmp_path / "workspace")
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", "testing/pytest.ini", f"--rootdir={repo}",
         "-n", "0", "--no-cov", "-q", "-m", "not integration", *DECLARATION_READERS],
        cwd=repo, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert " passed" in result.stdout and "failed" not in result.stdout
