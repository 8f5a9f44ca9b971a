"""What a step's result depends on, as one hash: the basis of step reuse.

A step is reused only when its code, its arguments and the content of its inputs are
unchanged. "Its code" is its own script and the other steps' scripts it imports, the rest
of its model folder (the config, aml_pipeline.py, helper modules), shared_code and the
pinned requirements; documentation, notebooks, EDA and data are not code. So editing
evaluate.py re-runs evaluate but still reuses train, while editing a train script that
evaluate imports re-runs both.
"""
import ast
import json
from pathlib import Path

from ..hashing import file_sha256, text_sha256
from ..paths import REPO_ROOT

NOT_CODE_DIRS = {"data", "documentation", "notebooks", "eda", "__pycache__", ".ipynb_checkpoints"}
CODE_SUFFIXES = {".py", ".yml", ".yaml", ".json", ".txt", ".cfg", ".ini", ".toml"}
SCRIPT_STEPS_DIR = "script_steps"


def _code_files(folder: Path):
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if (path.is_file() and path.suffix in CODE_SUFFIXES
                and not NOT_CODE_DIRS.intersection(relative.parts)):
            yield path


def common_code_hash(model_dir: Path, step_scripts: set[str], repo_root: Path = REPO_ROOT) -> str:
    """The hash of the code every step of a model depends on: all but the steps' scripts."""
    scripts = {model_dir / SCRIPT_STEPS_DIR / name for name in step_scripts}
    files = [*_code_files(repo_root / "shared_code"),
             *(p for p in _code_files(model_dir) if p not in scripts),
             repo_root / "virtualenvs" / "requirements.txt"]
    parts = []
    for file in sorted(files):
        if file.is_file():
            parts += [file.relative_to(repo_root).as_posix(), file_sha256(file)]
    return text_sha256(*parts)


def step_code_files(script: Path) -> list[Path]:
    """The step's script and, transitively, the modules of its script_steps/ it imports."""
    prefix = f"{script.parent.parent.name}.{SCRIPT_STEPS_DIR}."
    found, pending = set(), [script]
    while pending:
        file = pending.pop()
        if file in found or not file.is_file():
            continue
        found.add(file)
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            pending += [script.parent / f"{name[len(prefix):].replace('.', '/')}.py"
                        for name in names if name.startswith(prefix)]
    return sorted(found)


def step_fingerprint(common_code: str, script: Path, arguments, input_hashes: dict,
                     champion: str | None = None) -> str:
    """The hash of everything one step's result depends on."""
    code = [part for file in step_code_files(script) for part in (file.name, file_sha256(file))]
    return text_sha256(common_code, *code, json.dumps(list(arguments)),
                       json.dumps(input_hashes, sort_keys=True), champion or "")
