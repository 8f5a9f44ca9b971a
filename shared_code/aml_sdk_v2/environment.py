"""The SDK v2 environment, for a command started in the v1 one.

azure-ai-ml cannot share the v1 lock (README, "Azure ML SDK v2"), so `--sdk v2` commands run
in a Python of their own: tox's (.tox/v2) when `tox -e v2` has made it, else
virtualenvs/.venv_v2, made from virtualenvs/requirements-v2.txt on first use (a few
minutes, once; again when the lock changes). A command started where azure-ai-ml is missing
runs again there, unchanged.
"""
import importlib.util
import subprocess
import sys
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.azure_settings import AzureSetupError
from shared_code.amltoolbox.hashing import file_sha256
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.progress import Report, print_line

V2_LOCK = REPO_ROOT / "virtualenvs" / "requirements-v2.txt"
NAMED_ENV = REPO_ROOT / "virtualenvs" / ".venv_v2"
TOX_ENV = REPO_ROOT / ".tox" / "v2"
INSTALLED_MARK = "installed-lock.sha256"  # written once the lock is installed whole
BIN = "Scripts" if sys.platform == "win32" else "bin"


def has_sdk_v2() -> bool:
    """Whether this Python can import azure-ai-ml."""
    try:
        return importlib.util.find_spec("azure.ai.ml") is not None
    except ModuleNotFoundError:  # no `azure.ai` package at all
        return False


def _python(env: Path) -> Path:
    return env / BIN / ("python.exe" if sys.platform == "win32" else "python")


def v2_python(report: Report = print_line) -> Path:
    """A Python with the v2 lock installed: tox's, the named env, or the named env made now."""
    if _python(TOX_ENV).is_file():
        return _python(TOX_ENV)
    lock = file_sha256(V2_LOCK)
    mark = NAMED_ENV / INSTALLED_MARK
    if mark.is_file() and mark.read_text(encoding="utf-8") == lock:
        return _python(NAMED_ENV)
    report(f"--sdk v2 runs with azure-ai-ml, which this Python lacks: making {NAMED_ENV} from "
           f"{V2_LOCK.name} (once; a few minutes)")
    # venv loads logging and more; every local run imports this module, few make a venv.
    import venv  # pylint: disable=import-outside-toplevel
    venv.create(NAMED_ENV, with_pip=True, clear=True)
    installed = subprocess.run([str(_python(NAMED_ENV)), "-m", "pip", "install",
                                "--disable-pip-version-check", "-r", str(V2_LOCK)], check=False)
    if installed.returncode != 0:
        raise AzureSetupError(
            f"installing {V2_LOCK} into {NAMED_ENV} failed (pip's output is above): fix what it "
            "says, then run the command again")
    mark.write_text(lock, encoding="utf-8")
    return _python(NAMED_ENV)


def run_in_v2_environment(module: str, argv: Sequence[str]) -> int:
    """`python -m module argv...` in the v2 environment, from the repository root; its
    exit status."""
    return subprocess.run([str(v2_python()), "-m", module, *argv], cwd=REPO_ROOT,
                          check=False).returncode
