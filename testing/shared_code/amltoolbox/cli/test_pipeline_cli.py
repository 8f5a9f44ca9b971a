"""python -m model_X.aml_pipeline (its run_pipeline()): --local (the default), --submit
[--wait], --publish."""
import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest
from azureml_offline import without_workspace_settings

from shared_code.aml_sdk_v1.pipeline_submission import ReuseCheck
from shared_code.amltoolbox.cli import local_target, pipeline_cli
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.layout import model_folders
from shared_code.amltoolbox.paths import REPO_ROOT

# What the local run loads in its own process: the CLI (every command) and every model's
# pipeline module; and the workspace module, which other commands import.
LOCAL_RUN_IMPORTS = """
import json, sys
from shared_code.amltoolbox.cli.main import build_parser
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.layout import model_folders
import shared_code.amltoolbox.azure.workspace
build_parser()
for folder in model_folders():
    load_pipeline(folder.name)
print(json.dumps(sorted(name for name in sys.modules if name.split(".")[0] == "azureml")))
"""
SCRIPT_STEPS = sorted({f"{folder.name}.script_steps.{Path(step.script_name).stem}"
                       for folder in model_folders() for step in load_pipeline(folder.name)[1]})


EXPERIMENT = "diabetes-experiment"


@pytest.fixture(name="model_a", scope="module")
def fixture_model_a():
    """model_a's CONFIG and declared steps."""
    return load_pipeline("model_a")


@pytest.fixture(name="submission")
def fixture_submission(mocker):
    """run_pipeline and publish_pipeline, mocked: they would reach Azure."""
    from shared_code.aml_sdk_v1 import pipeline_submission
    run = mocker.Mock(id="model_a_1700000000_abc")
    run.get_portal_url.return_value = "https://ml.azure.com/runs/model_a_1700000000_abc"
    endpoint = mocker.Mock(endpoint="https://example.invalid/pipelines/model_a")
    endpoint.name = "model_a"
    published = mocker.Mock(id="pipeline-id", version="0123456789ab")
    return (mocker.patch.object(pipeline_submission, "run_pipeline", return_value=run),
            mocker.patch.object(pipeline_submission, "publish_pipeline",
                                return_value=(published, endpoint)))


def _exit_code(model_a, *argv) -> int:
    with pytest.raises(SystemExit) as exit_info:
        pipeline_cli.main(*model_a, EXPERIMENT, list(argv))
    return exit_info.value.code


@pytest.mark.parametrize("argv, reuse, explain", [([], True, False), (["--local"], True, False),
                                                  (["--local", "--no-reuse"], False, False),
                                                  (["--explain"], True, True)])
def test_local_is_the_default(model_a, mocker, argv, reuse, explain):
    run_locally = mocker.patch.object(local_target, "run_locally", return_value=0)
    assert _exit_code(model_a, *argv) == 0
    run_locally.assert_called_once_with(*model_a, EXPERIMENT, reuse=reuse, explain=explain)


@pytest.mark.parametrize("argv, message", [
    (["--wait"], "--wait goes with --submit"),
    (["--local", "--wait"], "--wait goes with --submit"),
    (["--submit", "--publish"], "not allowed with argument"),
    (["--publish", "--no-reuse"], "--no-reuse goes with --local or --submit"),
    (["--expect-reuse"], "--expect-reuse goes with --submit"),
    (["--publish", "--explain"], "--explain goes with --local or --submit"),
    (["--emulate-azureml", "--explain"], "--explain goes with --local or --submit"),
    (["--submit", "--sdk", "v2", "--expect-reuse"], "go with SDK v1"),
])
def test_contradictory_options_are_refused(model_a, capsys, argv, message):
    assert _exit_code(model_a, *argv) == 2
    assert message in capsys.readouterr().err


def test_submit_prints_the_run_and_where_to_watch_it(model_a, submission, capsys):
    run_pipeline, _ = submission
    assert _exit_code(model_a, "--submit") == 0
    run_pipeline.assert_called_once_with(*model_a, EXPERIMENT, wait=False,
                                         regenerate_outputs=False, reuse_check=ReuseCheck())
    out = capsys.readouterr().out
    assert "submitted model_a's pipeline to experiment 'diabetes-experiment': run " \
           "model_a_1700000000_abc" in out
    assert "https://ml.azure.com/runs/model_a_1700000000_abc" in out


@pytest.mark.parametrize("status, exit_code", [("Finished", 0), ("Failed", 1)])
def test_submit_and_wait_exits_with_the_runs_outcome(model_a, submission, capsys, status,
                                                     exit_code):
    run_pipeline, _ = submission
    run_pipeline.return_value.get_status.return_value = status
    assert _exit_code(model_a, "--submit", "--wait", "--no-reuse") == exit_code
    run_pipeline.assert_called_once_with(*model_a, EXPERIMENT, wait=True,
                                         regenerate_outputs=True, reuse_check=ReuseCheck())
    assert f"run model_a_1700000000_abc: {status}" in capsys.readouterr().out


def test_publish_prints_the_endpoint_ci_triggers(model_a, submission, capsys):
    _, publish_pipeline = submission
    assert _exit_code(model_a, "--publish") == 0
    publish_pipeline.assert_called_once_with(*model_a, EXPERIMENT)
    out = capsys.readouterr().out
    assert "pipeline pipeline-id (version 0123456789ab) as the default of pipeline endpoint " \
           "'model_a'" in out
    assert "https://example.invalid/pipelines/model_a" in out


def test_submit_without_workspace_settings_says_what_to_set(model_a, tmp_path, mocker, monkeypatch,
                                                            capsys):
    without_workspace_settings(monkeypatch, mocker, tmp_path)
    assert _exit_code(model_a, "--submit") == 2
    assert "error: no Azure ML workspace is configured" in capsys.readouterr().err


def test_the_local_run_imports_no_azureml():
    """azureml costs about a second to import: the Azure paths import it only when chosen."""
    result = subprocess.run([sys.executable, "-c", LOCAL_RUN_IMPORTS], cwd=REPO_ROOT,
                            capture_output=True, text=True, check=True, timeout=60)
    assert json.loads(result.stdout.strip().splitlines()[-1]) == []


def _module_file(name: str) -> Path | None:
    base = REPO_ROOT.joinpath(*name.split("."))
    return next((f for f in (base / "__init__.py", base.with_suffix(".py")) if f.is_file()), None)


def _imported_on_load(file: Path, module: str) -> set[str]:
    """What importing `module` imports: imports inside functions wait for a call, so they
    are not counted (a `from x import name` also counts x.name, in case it is a module)."""
    package = module.split(".") if file.name == "__init__.py" else module.split(".")[:-1]
    found, pending = set(), list(ast.parse(file.read_text(encoding="utf-8")).body)
    while pending:
        node = pending.pop()
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package[:len(package) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            found.update({base, *(f"{base}.{alias.name}" for alias in node.names)})
        elif not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            pending.extend(ast.iter_child_nodes(node))
    return found


def modules_loaded_by(module: str) -> set[str]:
    """Every module importing `module` loads, following the repository's own modules."""
    seen, pending = set(), [module]
    while pending:
        parts = pending.pop().split(".")
        for depth in range(1, len(parts) + 1):  # a.b.c imports a and a.b first
            name = ".".join(parts[:depth])
            file = None if name in seen else _module_file(name)
            seen.add(name)
            if file is not None:
                pending.extend(_imported_on_load(file, name))
    return seen


@pytest.mark.parametrize("script_step", SCRIPT_STEPS)
def test_a_script_step_imports_no_azureml_before_it_needs_azure(script_step):
    """Each local step is a process of its own; importing the step's modules (read, not run,
    to stay fast) must not import azureml."""
    loaded = modules_loaded_by(script_step)
    assert "shared_code.amltoolbox.run_context" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "azureml"}


def test_the_import_reader_sees_azureml_where_it_is_imported_on_load():
    assert "azureml.core" in modules_loaded_by("shared_code.aml_sdk_v1.pipeline_builder")


@pytest.mark.parametrize("argv, check", [(["--submit", "--explain"], ReuseCheck(explain=True)),
                                         (["--submit", "--expect-reuse"],
                                          ReuseCheck(expect_reuse=True))])
def test_submit_passes_explain_and_expect_reuse(model_a, submission, argv, check):
    run_pipeline, _ = submission
    assert _exit_code(model_a, *argv) == 0
    assert run_pipeline.call_args.kwargs["reuse_check"] == check
