"""A step's snapshot: the files of its source directory that Azure ML uploads, copied.

The SDK chooses them with its own code: the source directory's .amlignore (or, without
one, its .gitignore) excludes files (azureml/_project/ignore_file.py:104-116), and the
snapshot holds every file of the merkle tree built with that exclusion
(azureml/_restclient/snapshots_client.py:84-98, azureml/_base_sdk_common/merkle_tree.py).
The job starts its script in a copy of exactly those files.
"""
import shutil
from pathlib import Path

from azureml._base_sdk_common.merkle_tree import create_merkletree
from azureml._project.ignore_file import get_project_ignore_file


def snapshot_files(source_directory: Path) -> list[str]:
    """The snapshot's files, as paths relative to `source_directory`."""
    source_directory = Path(source_directory)
    exclude = get_project_ignore_file(str(source_directory)).is_file_excluded
    files, pending = [], [("", create_merkletree(str(source_directory), exclude))]
    while pending:
        prefix, node = pending.pop()
        for child in node.children:
            path = f"{prefix}{child.name}"
            if child.is_file():
                files.append(path)
            else:
                pending.append((f"{path}/", child))
    return sorted(files)


def copy_snapshot(source_directory: Path, target: Path) -> list[str]:
    """Copy the snapshot of `source_directory` into the empty folder `target`; its files."""
    source_directory, target = Path(source_directory), Path(target)
    files = snapshot_files(source_directory)
    for relative in files:
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source_directory / relative, destination)
    return files
