"""The code version recorded on runs, as AML records it for runs from a git repository."""
import re
import shutil

import pytest
from testing_helpers import committed_repository

from shared_code.amltoolbox.git_info import (GIT_COMMIT, GIT_DIRTY, git_properties,
                                             model_code_paths)
from shared_code.amltoolbox.paths import REPO_ROOT


@pytest.mark.skipif(not (REPO_ROOT / ".git").exists() or not shutil.which("git"),
                    reason="needs a git checkout and git")
def test_a_git_checkout_gives_its_commit_and_whether_it_has_changes():
    properties = git_properties(REPO_ROOT)
    assert re.fullmatch(r"[0-9a-f]{40}", properties[GIT_COMMIT])
    assert properties[GIT_DIRTY] in ("True", "False")


def test_outside_git_there_is_no_code_version(tmp_path):
    assert not git_properties(tmp_path)


def test_without_git_installed_there_is_no_code_version(mocker):
    mocker.patch("subprocess.run", side_effect=FileNotFoundError("git"))
    assert not git_properties(REPO_ROOT)


@pytest.fixture(name="committed")
def fixture_committed(tmp_path):
    """A git repository with model_x/a.py and shared_code/b.py committed."""
    return committed_repository(tmp_path, ["model_x/a.py", "shared_code/b.py"])


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_an_uncommitted_new_file_makes_the_code_version_dirty(committed):
    assert git_properties(committed)[GIT_DIRTY] == "False"
    (committed / "new_model.py").write_text("B = 2\n", encoding="utf-8")
    assert git_properties(committed)[GIT_DIRTY] == "True"


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_a_models_run_is_dirty_for_changes_to_its_folder_or_the_shared_code_only(committed):
    paths = model_code_paths(committed / "model_x", committed)
    assert paths == ["model_x", "shared_code"]
    (committed / "model_y").mkdir()
    (committed / "model_y" / "c.py").write_text("C = 3\n", encoding="utf-8")
    assert git_properties(committed, paths)[GIT_DIRTY] == "False"
    (committed / "shared_code" / "b.py").write_text("A = 2\n", encoding="utf-8")
    assert git_properties(committed, paths)[GIT_DIRTY] == "True"


def test_a_model_folder_outside_the_repository_is_checked_with_the_whole_tree(tmp_path):
    assert not model_code_paths(tmp_path / "elsewhere" / "model_x", tmp_path / "repo")


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_a_repository_with_nothing_committed_has_no_code_version(tmp_path):
    committed = committed_repository(tmp_path, [])
    assert not git_properties(committed)
