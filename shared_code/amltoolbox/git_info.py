"""The code version of a run, recorded as Azure ML records it on runs from a git repo."""
import subprocess
from pathlib import Path
from typing import Sequence

GIT_COMMIT = "azureml.git.commit"
GIT_DIRTY = "azureml.git.dirty"


def git_properties(repo: Path, paths: Sequence[str] = ()) -> dict:
    """The commit and whether the work tree has changes (within `paths` of it, when given),
    or {} outside git.

    Azure ML asks the same of the folder it submits from (`git status --porcelain .`,
    azureml/_base_sdk_common/tracking/git_tracking_info_provider.py:70). A model's run names
    its own folder and the shared code: another model's change does not make it dirty, and
    git stats a hundredth of a hundred models' files (5 ms a run, not 20).
    """
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        # Untracked files count: a new model folder not committed yet is not in `commit`.
        status = subprocess.run(["git", "status", "--porcelain", "--", *paths],
                                cwd=repo, capture_output=True, text=True, check=True,
                                timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return {GIT_COMMIT: commit, GIT_DIRTY: str(bool(status.strip()))}


def model_code_paths(folder: Path, repo: Path) -> list[str]:
    """What a model's run runs, as paths within `repo`: its folder and the shared code; none
    (the whole work tree) for a folder outside `repo`."""
    try:
        return [Path(folder).resolve().relative_to(Path(repo).resolve()).as_posix(),
                "shared_code"]
    except ValueError:
        return []
