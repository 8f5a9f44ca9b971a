"""Where things are: the repository, the model folders, the local workspace."""
import os
import re
from pathlib import Path

from .errors import UserError

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKSPACE_ENV_VAR = "AML_LOCAL_WORKSPACE"
DEFAULT_WORKSPACE_DIRNAME = ".aml_workspace"
MODEL_CONFIG_FILE = Path("config") / "model_config.yml"

_MODEL_FOLDER_MARKERS = ("aml_pipeline.py", str(MODEL_CONFIG_FILE))


class UnknownModelError(UserError):
    """A model folder name that is not in the repository."""


def workspace_root() -> Path:
    """The local workspace folder: $AML_LOCAL_WORKSPACE, else .aml_workspace at the repo root."""
    configured = os.environ.get(WORKSPACE_ENV_VAR)
    if configured:
        return Path(configured).expanduser().resolve()
    return REPO_ROOT / DEFAULT_WORKSPACE_DIRNAME


def is_model_folder(path: Path) -> bool:
    """A model folder is any top-level folder with the standard's pipeline and config."""
    return path.is_dir() and all((path / marker).is_file() for marker in _MODEL_FOLDER_MARKERS)


def model_folders(repo_root: Path = REPO_ROOT) -> list[Path]:
    """Every model folder in the repository, found by its shape rather than listed anywhere."""
    return sorted(p for p in repo_root.iterdir()
                  if not p.name.startswith(".") and is_model_folder(p))


def model_folder(name: str, repo_root: Path = REPO_ROOT) -> Path:
    """The folder of the model called `name` (a folder name such as model_a)."""
    folder = repo_root / name.strip().rstrip("/")
    if not is_model_folder(folder):
        known = ", ".join(p.name for p in model_folders(repo_root)) or "none"
        raise UnknownModelError(
            f"'{name}' is not a model folder of {repo_root} (known models: {known}). "
            f"A model folder holds {' and '.join(_MODEL_FOLDER_MARKERS)}.")
    return folder


def model_folder_of(file: str | Path) -> Path:
    """The model folder that contains `file` (a script step, the entry script, ...)."""
    for parent in Path(file).resolve().parents:
        if is_model_folder(parent):
            return parent
    raise UnknownModelError(f"{file} is not inside a model folder")


_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")


def python_name(name: str) -> str:
    """A Python-importable folder name for a model name.

    canal-level-forecasting -> canal_level_forecasting
    """
    return _IDENTIFIER.sub("_", name.strip()).strip("_").lower()
