"""The code version of a run, recorded as Azure ML records it on runs from a git repo."""
import subprocess
from pathlib import Path

GIT_COMMIT = "azureml.git.commit"
GIT_DIRTY = "azureml.git.dirty"


def git_properties(repo: Path) -> dict:
    """The commit and whether the work tree has changes, or {} outside git."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                                text=True, check=True, timeout=10).stdout.strip()
        # Untracked files count: a new model folder not committed yet is not in `commit`.
        status = subprocess.run(["git", "status", "--porcelain"],
                                cwd=repo, capture_output=True, text=True, check=True,
                                timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    return {GIT_COMMIT: commit, GIT_DIRTY: str(bool(status.strip()))}
