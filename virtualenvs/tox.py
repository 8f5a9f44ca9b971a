"""tox from the project's pin, set up on first use: the one command a fresh machine needs.

    python3 virtualenvs/tox.py                          the tests (pylint, then pytest)
    python3 virtualenvs/tox.py -e pipeline -- model_a   the main job: model_a's pipeline

The first call makes virtualenvs/.venv_tools and installs requirements-tox.txt into it
(again whenever that pin changes); every call then runs that tox with the arguments given.
It needs only Python 3.11 and git.
"""
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
TOOLS = HERE / ".venv_tools"
PIN = HERE / "requirements-tox.txt"
STAMP = TOOLS / "installed-pin.sha256"  # which requirements-tox.txt the venv holds

sys.path.insert(0, str(REPO_ROOT))
from shared_code.amltoolbox.progress import Progress  # noqa: E402  pylint: disable=wrong-import-position


def tools_bin(name: str) -> Path:
    """A program of the tools venv (bin/ on Linux and macOS, Scripts/ on Windows)."""
    folder = TOOLS / ("Scripts" if os.name == "nt" else "bin")
    return folder / (f"{name}.exe" if os.name == "nt" else name)


def pin_digest() -> str:
    """The sha256 of requirements-tox.txt, so a changed pin is installed again."""
    return hashlib.sha256(PIN.read_bytes()).hexdigest()


def tools_ready() -> bool:
    """Whether the venv holds tox as pinned now."""
    return (tools_bin("tox").is_file() and STAMP.is_file()
            and STAMP.read_text(encoding="utf-8").strip() == pin_digest())


def install_tools() -> None:
    """Make the venv and install the pinned tox; pip's output is shown only if it fails."""
    with Progress(f"installing tox into {TOOLS.relative_to(REPO_ROOT)}", ticking=True,
                  stream=sys.stdout):
        venv.create(TOOLS, with_pip=True, clear=True)
        result = subprocess.run([str(tools_bin("python")), "-m", "pip", "install",
                                 "--disable-pip-version-check", "-r", str(PIN)],
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{result.stdout}{result.stderr}\nerror: installing tox from {PIN} failed "
                 f"(above); check the network to the package index, then run this again")
    STAMP.write_text(pin_digest() + "\n", encoding="utf-8")


def run_tox(argv: list[str]) -> None:
    """Hand this process over to tox, in the repository root, with `argv`."""
    command = [str(tools_bin("tox")), *argv]
    os.chdir(REPO_ROOT)
    if os.name == "nt":  # Windows has no exec: wait for tox and pass its status on
        sys.exit(subprocess.run(command, check=False).returncode)
    os.execv(command[0], command)  # tox's own signals and exit status, as if called directly


def main(argv: list[str]) -> None:
    """Set tox up if needed, then run it."""
    if not tools_ready():
        print(f"first use: setting up tox ({PIN.name}) in {TOOLS}", flush=True)
        install_tools()
    run_tox(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
