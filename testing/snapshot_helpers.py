"""A repository copy for the snapshot tests: what a model's snapshot may take from (the models
and the shared code) and what it must leave out (README, a test file), with .amlignore."""
import shutil
from pathlib import Path

from shared_code.amltoolbox.paths import REPO_ROOT


def copy_snapshot_sources(repo: Path) -> Path:
    """Copy the models, shared code, README and .amlignore into `repo`, add a test file."""
    for folder in ("model_a", "model_b", "shared_code"):
        shutil.copytree(REPO_ROOT / folder, repo / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "data"))
    for name in ("README.md", ".amlignore"):
        shutil.copy2(REPO_ROOT / name, repo / name)
    (repo / "testing").mkdir()
    (repo / "testing" / "test_x.py").write_text("def test(): pass\n", encoding="utf-8")
    return repo
