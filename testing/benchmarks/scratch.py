"""Scratch copies of the repository's code, so that a benchmark never touches the user's
model folders, data or workspace."""
import os
import shutil
import subprocess
from pathlib import Path

from shared_code.amltoolbox.layout import GENERATED
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR

LOCK = Path("virtualenvs") / "requirements.txt"
NOT_COPIED = (*GENERATED, ".git", ".tox", ".aml_workspace", ".venv*", "virtualenvs/.venv*")


def copy_repository(target: Path, models: tuple[str, ...] = ()) -> Path:
    """shared_code, the lock and the named model folders (without data) under `target`."""
    ignore = shutil.ignore_patterns(*GENERATED)
    shutil.copytree(REPO_ROOT / "shared_code", target / "shared_code", ignore=ignore)
    for model in models:
        shutil.copytree(REPO_ROOT / model, target / model, ignore=ignore)
    (target / LOCK).parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(REPO_ROOT / LOCK, target / LOCK)
    return target


def fresh_copy(target: Path) -> Path:
    """The repository's files as a clone would have them: no envs, data or workspace."""
    listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True,
                            check=False)
    if listed.returncode == 0 and listed.stdout.strip():
        for name in listed.stdout.splitlines():
            source = REPO_ROOT / name
            if source.is_file():
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(source, target / name)
        return target
    shutil.copytree(REPO_ROOT, target, ignore=shutil.ignore_patterns(*NOT_COPIED))
    return target


def environment(repo: Path, workspace: Path) -> dict[str, str]:
    """This process's environment, with `repo`'s code first and `workspace` as the local
    workspace."""
    return {**os.environ, "PYTHONPATH": str(repo), WORKSPACE_ENV_VAR: str(workspace),
            "MPLBACKEND": "Agg"}
