"""The code version recorded on runs, as AML records it for runs from a git repository."""
import re
import shutil
import subprocess

import pytest

from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY, git_properties
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


@pytest.mark.skipif(not shutil.which("git"), reason="needs git")
def test_an_uncommitted_new_file_makes_the_code_version_dirty(tmp_path):
    def git(*args):
        subprocess.run(["git", "-C", str(tmp_path), *args], check=True, capture_output=True)
    git("init", "-q")
    (tmp_path / "a.py").write_text("A = 1\n", encoding="utf-8")
    git("add", "a.py")
    git("-c", "user.email=t@example.com", "-c", "user.name=t", "commit", "-qm", "a")
    assert git_properties(tmp_path)[GIT_DIRTY] == "False"
    (tmp_path / "new_model.py").write_text("B = 2\n", encoding="utf-8")
    assert git_properties(tmp_path)[GIT_DIRTY] == "True"
