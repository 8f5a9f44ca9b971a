"""Whether registered files are still what was registered: their sha256 against the one
recorded at registration (models.py and datasets.py check their versions with it)."""
from pathlib import Path


def files_problem(what: str, path: Path, recorded_sha256: str) -> str | None:
    """What is wrong with the registered files of `what` in `path`, or None."""
    # Imported here: models.py imports this module, and listing models reads no file.
    from ..hashing import tree_sha256  # pylint: disable=import-outside-toplevel
    from ..staging import holds_files  # pylint: disable=import-outside-toplevel
    if not holds_files(path):
        return f"{what}'s registered files are missing ({path})"
    actual = tree_sha256(path)
    if actual != recorded_sha256:
        return (f"{what}'s files in {path} were changed after registration (sha256 "
                f"{actual[:12]}, registered {recorded_sha256[:12]})")
    return None
