"""The command line imports a command's module only when that command runs, and pages
through long lists."""
import json
import subprocess
import sys

import pytest
from testing_helpers import run_cli

from shared_code.amltoolbox.cli.main import COMMANDS, build_parser, command_module, main
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT

HEAVY = ("yaml", "shared_code.amltoolbox.local.runner", "shared_code.amltoolbox.deployment",
         "shared_code.amltoolbox.serving", "shared_code.amltoolbox.model_config", "azureml",
         "inference_schema", "shared_code.amltoolbox.hashing")
# Runs a command as `python -m shared_code.amltoolbox` would, then prints the heavy modules
# that were imported.
PROBE = """import runpy, sys
sys.argv = ["amltoolbox", *sys.argv[1:]]
try:
    runpy.run_module("shared_code.amltoolbox", run_name="__main__")
except SystemExit:
    pass
heavy = {heavy!r}
print(*sorted(m for m in sys.modules if any(m == h or m.startswith(h + ".") for h in heavy)),
      file=sys.stderr)
"""


def _heavy_modules_imported(argv, workspace_dir) -> list[str]:
    done = subprocess.run([sys.executable, "-c", PROBE.format(heavy=HEAVY), *argv],
                          cwd=REPO_ROOT, capture_output=True, text=True, check=True, timeout=120,
                          env={"PATH": "", "PYTHONPATH": str(REPO_ROOT),
                               "AML_LOCAL_WORKSPACE": str(workspace_dir)})
    return done.stderr.split()


@pytest.mark.parametrize("argv", [["--help"], ["models", "list"], ["runs", "list"]],
                         ids=" ".join)
def test_help_and_the_lists_import_no_yaml_runner_deployment_or_serving(argv, workspace_dir):
    assert _heavy_modules_imported(argv, workspace_dir) == []


@pytest.mark.parametrize("name", COMMANDS)
def test_each_commands_help_line_is_the_one_its_module_gives(name):
    full = build_parser()
    listed = {a.dest: a.help for a in full._subparsers._group_actions[0]._choices_actions}  # pylint: disable=protected-access
    assert listed[name] == COMMANDS[name][1]
    assert command_module(name).__name__.endswith(COMMANDS[name][0])


def test_the_top_level_help_lists_every_command_without_importing_it(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for name, (_, help_line) in COMMANDS.items():
        assert name in out and help_line.split()[0] in out


@pytest.fixture(name="five_models")
def fixture_five_models(workspace_dir, tmp_path):
    """A workspace with model_x versions 1 to 3 and model_y versions 1 and 2."""
    workspace = LocalWorkspace(workspace_dir)
    for name, count in (("model_x", 3), ("model_y", 2)):
        for version in range(count):
            artifact = tmp_path / f"{name}-{version}.pkl"
            artifact.write_text(f"{name} {version}", encoding="utf-8")
            workspace.models.register(name, artifact, tags={"n": str(version)})
    for index in range(4):
        workspace.runs.start_run("model_x", "experiment", {"index": index})
    yield workspace
    workspace.close()


@pytest.mark.usefixtures("five_models")
@pytest.mark.parametrize("paging, expected", [
    ([], ["model_x:1", "model_x:2", "model_x:3", "model_y:1", "model_y:2"]),
    (["--limit", "2"], ["model_x:1", "model_x:2"]),
    (["--limit", "2", "--offset", "2"], ["model_x:3", "model_y:1"]),
    (["--offset", "4"], ["model_y:2"]),
    (["--name", "model_y", "--offset", "1"], ["model_y:2"]),
])
def test_models_list_pages_in_name_and_version_order(capsys, paging, expected):
    code, out, _ = run_cli(capsys, "models", "list", "--json", *paging)
    assert code == 0
    assert [f"{m['name']}:{m['version']}" for m in json.loads(out)] == expected
    code, out, _ = run_cli(capsys, "models", "list", *paging)
    assert [":".join(line.split()[:2]) for line in out.splitlines()[1:]] == expected


def test_models_list_json_is_what_the_records_say(five_models, capsys):
    _, out, _ = run_cli(capsys, "models", "list", "--json")
    assert json.loads(out) == [m.as_dict() for m in five_models.models.list()]


@pytest.mark.usefixtures("five_models")
def test_runs_list_pages_newest_first(capsys):
    _, out, _ = run_cli(capsys, "runs", "list", "--json")
    newest_first = [r["properties"]["index"] for r in json.loads(out)]
    assert newest_first == [3, 2, 1, 0]
    _, out, _ = run_cli(capsys, "runs", "list", "--json", "--limit", "2", "--offset", "1")
    assert [r["properties"]["index"] for r in json.loads(out)] == [2, 1]


@pytest.mark.usefixtures("five_models")
@pytest.mark.parametrize("command", ["models", "runs"])
def test_a_page_past_the_end_says_so(capsys, command):
    code, out, _ = run_cli(capsys, command, "list", "--offset", "50")
    assert code == 0 and "nothing after the first 50" in out


@pytest.mark.parametrize("option, value", [("--limit", "0"), ("--offset", "-1"),
                                           ("--limit", "ten")])
def test_a_bad_page_is_a_usage_error_naming_the_option(capsys, option, value):
    code, _, err = run_cli(capsys, "models", "list", option, value)
    assert code == 2 and f"argument {option}: '{value}' is not a number" in err
