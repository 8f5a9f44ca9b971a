"""tox from the project's pin, set up on first use: the one command a fresh machine needs.

    python3 virtualenvs/tox.py                          the tests (pylint, then pytest)
    python3 virtualenvs/tox.py -e pipeline -- model_a   the main job: model_a's pipeline

The first call makes virtualenvs/.venv_tools and installs requirements-tox.txt into it
(again whenever that pin changes); every call then runs that tox with the arguments given.
A tox environment that is not there yet (or older than the lock) is installed first with a
progress line, since tox itself installs for minutes without a word. It needs only Python
3.11 and git.
"""
import configparser
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
LOCK = HERE / "requirements.txt"
TOX_INI = REPO_ROOT / "tox.ini"
TOX_WORK_DIR = REPO_ROOT / ".tox"
ENV_RECORD = ".tox-info.json"  # what tox writes into an environment it has set up
RUN_COMMANDS = ("run", "r", "legacy", "le")  # the tox commands that run environments

sys.path.insert(0, str(REPO_ROOT))
from shared_code.amltoolbox.progress import Progress  # pylint: disable=wrong-import-position


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
    with Progress("installing tox", ticking=True, stream=sys.stdout):
        venv.create(TOOLS, with_pip=True, clear=True)
        result = subprocess.run([str(tools_bin("python")), "-m", "pip", "install",
                                 "--disable-pip-version-check", "-r", str(PIN)],
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{result.stdout}{result.stderr}\nerror: installing tox from {PIN} failed "
                 f"(above); check the network to the package index, then run this again")
    STAMP.write_text(pin_digest() + "\n", encoding="utf-8")


def environments_named(argv: list[str]) -> list[str]:
    """The tox environments `argv` runs: those given with -e, else tox.ini's env_list."""
    options = argv[:argv.index("--")] if "--" in argv else argv
    if options and not options[0].startswith("-") and options[0] not in RUN_COMMANDS:
        return []  # tox list, tox config, ...: nothing to install
    names = []
    for index, option in enumerate(options):
        if option in ("-e", "--env") and index + 1 < len(options):
            names += options[index + 1].split(",")
        elif option.startswith("-e") and len(option) > 2 and not option.startswith("--"):
            names += option[2:].split(",")
        elif option.startswith("--env="):
            names += option[len("--env="):].split(",")
    ini = configparser.ConfigParser(interpolation=None)
    ini.read(TOX_INI, encoding="utf-8")
    names = names or ini.get("tox", "env_list", fallback="").replace(",", " ").split()
    return list(dict.fromkeys(held for name in names for held in _holders(ini, name)))


def _holders(ini: configparser.ConfigParser, name: str) -> list[str]:
    """The environments that hold `name`'s packages: the tests env for one that runs its
    python (tox.ini's [shared]), and `name` itself too when it installs deps of its own
    (the benchmark's DVC), so that each is installed with a progress line."""
    section = f"testenv:{name}"
    if "[shared]" not in ini.get(section, "commands_pre", fallback=""):
        return [name]
    own_deps = ini.get(section, "deps", fallback="").strip()
    return ["tests", name] if own_deps else ["tests"]


def environment_missing(name: str) -> bool:
    """Whether tox has yet to install environment `name`, or the lock changed since."""
    record = TOX_WORK_DIR / name / ENV_RECORD
    return not record.is_file() or record.stat().st_mtime < LOCK.stat().st_mtime


def install_environments(names: list[str]) -> None:
    """Let tox install `names` (tox --notest) with a moving line instead of minutes of silence;
    tox's output is shown only if it fails."""
    with Progress(f"first use: installing tox environment {', '.join(names)} (tox -e "
                  f"{','.join(names)} --notest)", ticking=True, stream=sys.stdout):
        result = subprocess.run([str(tools_bin("tox")), "--notest", "-e", ",".join(names)],
                                cwd=REPO_ROOT,
                                capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{result.stdout}{result.stderr}\nerror: tox could not set up "
                 f"{', '.join(names)} (above)")


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
    missing = [name for name in environments_named(argv) if environment_missing(name)]
    if missing:
        install_environments(missing)
    run_tox(argv)


if __name__ == "__main__":
    main(sys.argv[1:])
