"""The code version of a run, recorded as Azure ML records it on runs from a git repo."""
import re
import subprocess
from pathlib import Path
from typing import Sequence

GIT_COMMIT = "azureml.git.commit"
GIT_DIRTY = "azureml.git.dirty"


def git_properties(repo: Path, paths: Sequence[str] = ()) -> dict:
    """The commit and whether the work tree (its `paths`, when given) has changes, or {}
    outside git. Azure ML asks it of the folder it submits from (git_tracking_info_provider.py
    :70); a model's run, of its folder and the shared code: 5 ms at 100 models, not 20."""
    try:
        # One process for both: the commit (a header line) and the changes (the other lines).
        # Untracked files count: a new model folder not committed yet is not in the commit.
        status = subprocess.run(["git", "status", "--porcelain=v2", "--branch",
                                 "--no-ahead-behind", "--", *paths], cwd=repo,
                                capture_output=True, text=True, check=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    lines = status.splitlines()
    commit = next((line.split()[2] for line in lines if line.startswith("# branch.oid ")), "")
    if not re.fullmatch(r"[0-9a-f]{40,64}", commit):  # "(initial)": nothing committed yet
        return {}
    return {GIT_COMMIT: commit,
            GIT_DIRTY: str(any(not line.startswith("# ") for line in lines if line))}


def model_code_paths(folder: Path, repo: Path) -> list[str]:
    """What a model's run runs, as paths within `repo`: its folder and the shared code; none
    (the whole work tree) for a folder outside `repo`."""
    try:
        return [Path(folder).resolve().relative_to(Path(repo).resolve()).as_posix(),
                "shared_code"]
    except ValueError:
        return []
