"""The committed .vscode/ folder: it parses as VS Code reads it (JSON with comments), names
only paths and modules that exist, runs tests and pylint as tox does, and holds nothing
personal (no absolute path, no user name)."""
import json
import re
from pathlib import Path

import pytest

from shared_code.amltoolbox.cli.main import COMMANDS
from shared_code.amltoolbox.paths import REPO_ROOT

VSCODE = REPO_ROOT / ".vscode"
FILES = ("settings.json", "launch.json", "tasks.json", "extensions.json")
# A string, or a // comment outside strings: comments are dropped, strings kept.
_TOKEN = re.compile(r'"(?:\\.|[^"\\])*"|//[^\n]*')
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")


def load_jsonc(path: Path):
    """A VS Code JSON-with-comments file: // comments and trailing commas allowed."""
    return parse_jsonc(path.read_text(encoding="utf-8"))


def parse_jsonc(text: str):
    """JSON with // comments and trailing commas, as VS Code reads its files."""
    text = _TOKEN.sub(lambda m: "" if m.group().startswith("//") else m.group(), text)
    return json.loads(_TRAILING_COMMA.sub(r"\1", text))


def _in_workspace(value: str) -> Path:
    return REPO_ROOT / value.replace("${workspaceFolder}/", "").replace("${workspaceFolder}", "")


@pytest.mark.parametrize("name", FILES)
def test_each_file_parses_as_json_with_comments(name):
    assert isinstance(load_jsonc(VSCODE / name), dict)


def test_the_jsonc_reader_keeps_slashes_inside_strings():
    assert parse_jsonc('{"a": "http://x//y", // note\n "b": [1,],}') == {
        "a": "http://x//y", "b": [1]}


@pytest.mark.parametrize("name", FILES)
def test_nothing_personal(name):
    text = (VSCODE / name).read_text(encoding="utf-8")
    assert not re.search(r'"(/home|/Users|/root|[A-Za-z]:\\\\)', text), "an absolute path"


def test_settings_run_pytest_and_pylint_with_the_projects_files():
    settings = load_jsonc(VSCODE / "settings.json")
    args = settings["python.testing.pytestArgs"]
    assert _in_workspace(args[args.index("-c") + 1]).is_file()
    assert (_in_workspace(args[-1])).is_dir()
    rcfile = settings["pylint.args"][0].split("=", 1)[1]
    assert _in_workspace(rcfile).is_file()
    assert settings["python.defaultInterpreterPath"].endswith(".tox/tests/bin/python")


def test_every_launch_configuration_runs_a_module_of_the_repository_or_pytest():
    launch = load_jsonc(VSCODE / "launch.json")
    inputs = {item["id"] for item in launch["inputs"]}
    for configuration in launch["configurations"]:
        module = configuration["module"]
        if module != "pytest":
            assert (REPO_ROOT / Path(*module.split(".")) / "__main__.py").is_file(), module
        used = {m for arg in configuration["args"] for m in re.findall(r"\$\{input:(\w+)\}", arg)}
        assert used <= inputs, configuration["name"]


def test_the_launch_commands_exist_in_the_command_line():
    """Each configuration's command (run, serve, replay, ...) is one the CLI lists."""
    for configuration in load_jsonc(VSCODE / "launch.json")["configurations"]:
        if configuration["module"] == "shared_code.amltoolbox":
            assert configuration["args"][0] in COMMANDS, configuration["name"]


def test_tasks_run_the_readmes_bootstrap():
    for task in load_jsonc(VSCODE / "tasks.json")["tasks"]:
        for args in (task["args"], task["windows"]["args"]):
            assert "virtualenvs/tox.py" in args
        assert (REPO_ROOT / "virtualenvs" / "tox.py").is_file()
        # As the README calls Python: python3 (Linux and macOS often have no `python`), and
        # the launcher on Windows, whose args are the same after its version.
        assert task["command"] == "python3"
        assert (task["windows"]["command"], task["windows"]["args"]) == (
            "py", ["-3.11", *task["args"]])


def test_the_azureml_snapshot_leaves_vscode_out():
    assert ".vscode/" in (REPO_ROOT / ".amlignore").read_text(encoding="utf-8").split()
