"""What a step's result depends on, as one hash, the basis of step reuse: its script, what
every step of the model shares (the rest of its folder but documentation, notebooks, EDA and
data; shared_code; the pinned requirements), its arguments and its inputs' content. Editing
evaluate.py re-runs evaluate but reuses train; editing model.py re-runs both."""
import fnmatch
import json
import os
from pathlib import Path

from ..hashing import file_sha256, text_sha256
from ..layout import NOT_CODE, ModelLayout
from ..paths import REPO_ROOT

CODE_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".txt", ".cfg", ".ini", ".toml"}
LOCK_FILE = Path("virtualenvs") / "requirements.txt"


def _is_not_code(part: str) -> bool:
    return any(fnmatch.fnmatch(part, pattern) for pattern in NOT_CODE)


def _code_files(folder: Path):
    """The code files under `folder`. Folders that are not code (data/ above all) are not
    walked into: a model's data must not cost each run a look at every file."""
    for directory, folders, names in os.walk(folder):
        folders[:] = [name for name in folders if not _is_not_code(name)]
        for name in names:
            path = Path(directory, name)
            if path.suffix in CODE_SUFFIXES and not _is_not_code(name) and path.is_file():
                yield path


def code_manifest(layout: ModelLayout, step_scripts: set[str],
                  repo_root: Path = REPO_ROOT) -> dict[str, str]:
    """The code every step of a model depends on, all but the steps' scripts: each file's
    path relative to `repo_root` and its sha256, in the order the common hash reads them."""
    scripts = {layout.script(name) for name in step_scripts}
    files = [*_code_files(repo_root / "shared_code"),
             *(p for p in _code_files(layout.folder) if p not in scripts),
             repo_root / LOCK_FILE]
    return {file.relative_to(repo_root).as_posix(): file_sha256(file)
            for file in sorted(files) if file.is_file()}


def manifest_hash(manifest: dict[str, str]) -> str:
    """The common code hash of a code manifest."""
    return text_sha256(*(part for item in manifest.items() for part in item))


def common_code_hash(layout: ModelLayout, step_scripts: set[str],
                     repo_root: Path = REPO_ROOT) -> str:
    """The hash of the code every step of a model depends on: all but the steps' scripts."""
    return manifest_hash(code_manifest(layout, step_scripts, repo_root))


def step_fingerprint(common_code: str, script: Path, arguments, input_hashes: dict,
                     champion: str | None = None) -> str:
    """The hash of everything one step's result depends on."""
    return text_sha256(common_code, script.name, file_sha256(script),
                       json.dumps(list(arguments)), json.dumps(input_hashes, sort_keys=True),
                       champion or "")
