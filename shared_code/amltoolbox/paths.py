"""Where things are: the repository and the local workspace."""
import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
WORKSPACE_ENV_VAR = "AML_LOCAL_WORKSPACE"
DEFAULT_WORKSPACE_DIRNAME = ".aml_workspace"


def workspace_root() -> Path:
    """The local workspace folder: $AML_LOCAL_WORKSPACE, else .aml_workspace at the repo root."""
    configured = os.environ.get(WORKSPACE_ENV_VAR)
    if configured:
        return Path(configured).expanduser().resolve()
    return REPO_ROOT / DEFAULT_WORKSPACE_DIRNAME


_IDENTIFIER = re.compile(r"[^0-9a-zA-Z_]+")


def python_name(name: str) -> str:
    """A Python-importable folder name for a model name.

    canal-level-forecasting -> canal_level_forecasting
    """
    return _IDENTIFIER.sub("_", name.strip()).strip("_").lower()
