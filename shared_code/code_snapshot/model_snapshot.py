"""A snapshot per model: the folder Azure ML uploads for a model's steps, staged before
submission.

Azure ML v1 fingerprints a PythonScriptStep from every file of its source directory
(azureml/pipeline/core/_module_builder.py:143-155, calculate_hash over the merkle tree of
the directory with its .amlignore applied), and SDK v2 names a job's code asset by the
hash of its folder likewise (azure/ai/ml/_utils/_asset_utils.py:338, get_content_hash).
With the repository root as that folder, an edit anywhere (another model, a test, the
README) would change every step of every model, and Azure ML would rerun them all.

So each model's steps get a folder of their own, staged from the repository with the same
relative paths (so `PYTHONPATH=.` and the script names are unchanged): the model's folder,
the shared code its step scripts and entry script import (import_graph.py), and the repository's
.amlignore, nothing else. What the .amlignore excludes is not staged (the caller passes the
SDK's own check), and the copy of the .amlignore makes the SDK apply it again on upload.
It is staged in the local workspace (git-ignored and left out of every snapshot), to a
temporary name first, then renamed to a folder named after its content.
"""
import os
import shutil
import time
from pathlib import Path
from typing import Callable, Iterable

from shared_code.amltoolbox.hashing import file_sha256, tree_digest
from shared_code.amltoolbox.layout import ModelLayout
from shared_code.amltoolbox.paths import REPO_ROOT, workspace_root

from .import_graph import imported_files

AMLIGNORE = ".amlignore"
SNAPSHOTS_DIR = "snapshots"
# A path is excluded when this says so: the SDK's own .amlignore check, given absolute paths.
Excluded = Callable[[Path], bool]
_PROBE = "_"  # a file name no directory pattern spares
UNUSED_SECONDS = 24 * 3600


def _negates(repo_root: Path) -> bool:
    """Whether the .amlignore re-includes anything (a `!` line): then a directory that it
    excludes may still hold files it keeps, and must be walked."""
    ignore = repo_root / AMLIGNORE
    return ignore.is_file() and any(line.lstrip().startswith("!") for line in
                                    ignore.read_text(encoding="utf-8").splitlines())


def _folder_files(folder: Path, excluded: Excluded, prune: bool) -> Iterable[Path]:
    for directory, folders, names in os.walk(folder):
        if prune:  # data/ is never walked into: it may hold many thousand files
            folders[:] = [name for name in folders
                          if not excluded(Path(directory, name, _PROBE))]
        for name in names:
            path = Path(directory, name)
            if not excluded(path):
                yield path


def snapshot_files(layout: ModelLayout, scripts: Iterable[str], excluded: Excluded,
                   repo_root: Path = REPO_ROOT, roots: Iterable[Path] = ()) -> list[str]:
    """The files of the model's snapshot, relative to `repo_root`, sorted: its folder, the
    repository's files its step `scripts` and any other `roots` (a shared step's script,
    such as batch scoring's driver) import, and the .amlignore."""
    repo_root = Path(repo_root)
    files = set(_folder_files(layout.folder, excluded, not _negates(repo_root)))
    # The entry script's imports too: registration imports it for the schema the model card
    # records (promotion/registered_extras.py).
    roots = [*roots, *(layout.script(name) for name in scripts)]
    if layout.entry_script.is_file():
        roots.append(layout.entry_script)
    files |= {path for path in imported_files(roots, repo_root) if not excluded(path)}
    if (repo_root / AMLIGNORE).is_file():
        files.add(repo_root / AMLIGNORE)
    return sorted(path.relative_to(repo_root).as_posix() for path in files)


def snapshots_of(layout: ModelLayout) -> Path:
    """Where the model's snapshots are staged: snapshots/<model folder> in the local
    workspace, one folder per content."""
    return workspace_root() / SNAPSHOTS_DIR / layout.name


def stage_snapshot(layout: ModelLayout, scripts: Iterable[str], excluded: Excluded,
                   repo_root: Path = REPO_ROOT, parent: Path | None = None,
                   roots: Iterable[Path] = ()) -> Path:
    """The folder holding the model's snapshot, exactly snapshot_files(): named after its
    content, so a folder in use is never changed (a job may be copying it) and the same
    code is staged once. Snapshots unused for a day are removed."""
    repo_root = Path(repo_root)
    files = snapshot_files(layout, scripts, excluded, repo_root, roots)
    digest = tree_digest((relative, file_sha256(repo_root / relative)) for relative in files)
    parent = Path(parent or snapshots_of(layout))
    target = parent / digest[:16]
    if not target.is_dir():
        staging = parent / f".{target.name}.{os.getpid()}.staging"
        shutil.rmtree(staging, ignore_errors=True)
        staging.mkdir(parents=True)
        for relative in files:
            destination = staging / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(repo_root / relative, destination)
        try:
            os.rename(staging, target)
        except OSError:  # staged meanwhile by another process: the same content
            shutil.rmtree(staging, ignore_errors=True)
            if not target.is_dir():
                raise
    os.utime(target)  # in use: not removed as unused
    _remove_unused(parent, keep=target)
    return target


def _remove_unused(parent: Path, keep: Path) -> None:
    stale = time.time() - UNUSED_SECONDS
    for folder in parent.iterdir():
        if folder != keep and folder.is_dir() and folder.stat().st_mtime < stale:
            shutil.rmtree(folder, ignore_errors=True)
