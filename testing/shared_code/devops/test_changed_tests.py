"""tox -e changed: which tests a change selects, and why; proven against a brute-force run
that imports every test module and records what each import statement really loads."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from tested_models import TESTED_MODELS_ENV_VAR

from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.devops import changed_tests
from shared_code.devops.changed_tests import ChangedFilesError, run, runs_everything, select
from shared_code.devops.import_graph import ImportGraph, is_test_module, module_name


@pytest.fixture(name="graph")
def fixture_graph(small_repository) -> ImportGraph:
    return ImportGraph.build(small_repository)


def test_a_change_in_a_model_folder_runs_that_models_tests(graph):
    selection = select(graph, ["model_x/model.py"])
    assert selection.reasons == {
        "testing/model_x": "model_x/model.py changed",
        "testing/shared_code/test_runs_model_x.py": "model_x/model.py changed"}
    assert not selection.everything


def test_a_shared_module_runs_its_tests_and_those_of_the_models_importing_it(graph):
    selection = select(graph, ["shared_code/toolbox/errors.py"])
    assert set(selection.reasons) == {"testing/model_x",
                                      "testing/shared_code/toolbox/test_errors.py",
                                      "testing/shared_code/test_runs_model_x.py"}
    assert selection.reasons["testing/shared_code/toolbox/test_errors.py"] == \
        "shared_code/toolbox/errors.py changed"
    assert selection.reasons["testing/model_x"].startswith(
        "shared_code/toolbox/errors.py changed (through ")


def test_a_module_no_test_depends_on_selects_nothing(graph):
    assert not select(graph, ["shared_code/unused.py"]).reasons


def test_a_dispatched_command_runs_the_tests_of_its_dispatcher(graph):
    selection = select(graph, ["shared_code/plots.py"])
    assert "testing/shared_code/toolbox/test_menu.py" in selection.reasons


@pytest.mark.parametrize("path", ["tox.ini", "virtualenvs/requirements.txt", "testing/conftest.py",
                                  "testing/pytest.ini", "testing/.pylintrc",
                                  "testing/.coveragerc", "testing/testing_helpers.py",
                                  "testing/shared_code/image_helpers.py"])
def test_the_lock_tox_and_the_test_helpers_run_everything(graph, path):
    selection = select(graph, ["model_x/model.py", path])
    assert selection.everything
    assert selection.reasons == {"testing": f"{path} changed, which every test runs with"}


def test_a_test_module_named_like_a_helper_is_a_test():
    assert not runs_everything("testing/test_serving_helpers.py")


def _add_model(root: Path, model: str) -> None:
    for name in ("__init__.py", "aml_pipeline.py", "config/model_config.yml"):
        (root / model / name).parent.mkdir(parents=True, exist_ok=True)
        (root / model / name).write_text("", encoding="utf-8")


@pytest.fixture(name="two_models")
def fixture_two_models(small_repository) -> Path:
    """The small repository with a second model and a test module over every model."""
    _add_model(small_repository, "model_y")
    (small_repository / "testing" / "shared_code" / "test_every_model.py").write_text(
        "from shared_code.toolbox.errors import UserError, model_folders\n", encoding="utf-8")
    return small_repository


def test_a_test_over_every_model_runs_only_its_tests_of_the_changed_model(two_models):
    selection = select(ImportGraph.build(two_models), ["model_x/model.py"])
    assert selection.narrowed == {"testing/shared_code/test_every_model.py"}
    assert selection.unchanged == ("model_y",)
    assert selection.reasons["testing/shared_code/test_every_model.py"] == (
        "model_x/model.py changed; only its tests of model_x (it tests every model folder)")


def test_a_test_over_every_model_runs_whole_when_shared_code_it_imports_changed(two_models):
    selection = select(ImportGraph.build(two_models),
                       ["model_x/model.py", "shared_code/toolbox/errors.py"])
    assert "testing/shared_code/test_every_model.py" in selection.reasons
    assert not selection.narrowed


def test_a_test_over_every_model_runs_whole_when_a_models_name_lies_in_anothers(two_models):
    _add_model(two_models, "model_x2")
    selection = select(ImportGraph.build(two_models), ["model_x2/aml_pipeline.py"])
    assert "testing/shared_code/test_every_model.py" in selection.reasons
    assert not selection.narrowed


def _git(root: Path, *arguments: str) -> None:
    subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@t",
                    *arguments], check=True, capture_output=True)


@pytest.fixture(name="repository")
def fixture_repository(small_repository) -> Path:
    """The small repository under git, everything committed on main."""
    _git(small_repository, "init", "-q", "-b", "main")
    _git(small_repository, "add", "-A")
    _git(small_repository, "commit", "-q", "-m", "start")
    return small_repository


def _commands(mocker, codes: dict[str, int], environments: list | None = None):
    """subprocess.run for pylint and pytest stood in for, returning `codes` (each one's
    environment kept in `environments`); git is real."""
    real = subprocess.run
    calls: list[list[str]] = []

    def fake(command, *args, **kwargs):
        if command[:2] == [sys.executable, "-m"]:
            calls.append(command)
            if environments is not None:
                environments.append(kwargs.get("env") or {})
            return subprocess.CompletedProcess(command, codes[command[2]])
        return real(command, *args, **kwargs)  # pylint: disable=subprocess-run-check
    mocker.patch.object(changed_tests.subprocess, "run", side_effect=fake)
    return calls


def test_the_changed_files_are_linted_and_the_selected_tests_run(repository, mocker, capsys):
    _git(repository, "checkout", "-q", "-b", "topic")
    (repository / "shared_code" / "plots.py").write_text("def draw():\n    return 2\n",
                                                         encoding="utf-8")
    _git(repository, "commit", "-qam", "plots")
    (repository / "model_x" / "new_step.py").write_text("", encoding="utf-8")  # untracked
    calls = _commands(mocker, {"pylint": 0, "pytest": 0})
    assert run(repository, None, set()) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0].startswith("2 file(s) changed since ")
    assert printed[0].endswith("; 3 test path(s) selected:")
    assert "testing/model_x: model_x/new_step.py changed" in printed
    pylint, pytest_call = calls[0], calls[1]
    assert len(calls) == 2
    assert pylint[-2:] == ["model_x/new_step.py", "shared_code/plots.py"]
    assert pytest_call[-3:] == ["testing/model_x", "testing/shared_code/test_runs_model_x.py",
                                "testing/shared_code/toolbox/test_menu.py"]


def test_the_narrowed_tests_run_apart_leaving_out_the_unchanged_models(two_models, mocker):
    _git(two_models, "init", "-q", "-b", "main")
    _git(two_models, "add", "-A")
    _git(two_models, "commit", "-q", "-m", "start")
    (two_models / "model_x" / "model.py").write_text("X = 1\n", encoding="utf-8")
    environments = []
    calls = _commands(mocker, {"pylint": 0, "pytest": 0}, environments)
    assert run(two_models, "HEAD", set()) == 0
    assert len(calls) == 3
    whole, narrowed = calls[1], calls[2]
    assert whole[-2:] == ["testing/model_x", "testing/shared_code/test_runs_model_x.py"]
    assert narrowed[-3:] == ["testing/shared_code/test_every_model.py", "-k", "not (model_y)"]
    # The narrowed run collects the changed model's parameters only (testing/tested_models.py).
    assert TESTED_MODELS_ENV_VAR not in environments[1]
    assert environments[2][TESTED_MODELS_ENV_VAR] == "model_x"


def test_no_tests_collected_is_a_success_that_says_so(repository, mocker, capsys):
    (repository / "shared_code" / "toolbox" / "errors.py").write_text("X = 1\n", encoding="utf-8")
    _commands(mocker, {"pylint": 0, "pytest": changed_tests.PYTEST_NO_TESTS})
    assert run(repository, "HEAD", set()) == 0
    assert "pytest collected no tests" in capsys.readouterr().out


def test_a_failure_of_either_is_the_exit_code(repository, mocker):
    (repository / "shared_code" / "toolbox" / "errors.py").write_text("X = 1\n", encoding="utf-8")
    _commands(mocker, {"pylint": 16, "pytest": 0})
    assert run(repository, "HEAD", set()) == 16


def test_nothing_selected_runs_no_pytest(repository, mocker, capsys):
    (repository / "shared_code" / "unused.py").write_text("X = 1\n", encoding="utf-8")
    calls = _commands(mocker, {"pylint": 0, "pytest": 0})
    assert run(repository, "HEAD", {"ignored_dir"}) == 0
    assert [call[2] for call in calls] == ["pylint"]
    assert "no test depends on the changed files" in capsys.readouterr().out


def test_files_pylint_ignores_are_not_linted(repository, mocker):
    (repository / "shared_code" / "toolbox" / "errors.py").write_text("X = 1\n", encoding="utf-8")
    calls = _commands(mocker, {"pylint": 0, "pytest": 0})
    run(repository, "HEAD", {"toolbox"})
    assert [call[2] for call in calls] == ["pytest"]


def test_a_deleted_module_runs_the_tests_of_its_importers(repository, mocker, capsys):
    (repository / "shared_code" / "plots.py").unlink()
    _commands(mocker, {"pylint": 0, "pytest": 0})
    run(repository, "HEAD", set(), dry_run=True)
    assert "testing/model_x: shared_code/plots.py changed (through model_x/model.py)" in \
        capsys.readouterr().out


def test_a_base_git_does_not_know_is_a_user_error(repository):
    with pytest.raises(ChangedFilesError, match="pass a base that exists"):
        run(repository, "no-such-commit", set(), dry_run=True)


# --- the brute-force proof, on this repository ---------------------------------------------------

# Imports each test module given (after the conftest.py files above it), as pytest does, and
# records every import statement that runs, cached or not, with the module running it: the
# edges the import graph must hold. A module imported by a name computed at run time
# (importlib.import_module) is put down to the test module being imported then: what
# load_pipeline("model_a") imports depends on who calls it. Prints {module: [modules it
# imported]} and the test modules that could not be imported here.
RECORD_IMPORTS = r"""
import builtins, importlib, importlib.util, json, sys
from pathlib import Path
root, paths = Path(sys.argv[1]), sys.argv[2:]
sys.path[:0] = [str(root), str(root / "testing")]
edges, failed = {}, []
real_import, real_import_module = builtins.__import__, importlib.import_module
def note(importer, name):
    edges.setdefault(importer, set()).add(name)
def recording_import(name, globals=None, locals=None, fromlist=(), level=0):
    module = real_import(name, globals, locals, fromlist, level)
    importer = (globals or {}).get("__name__", "?")
    base = importlib.util.resolve_name("." * level + name, globals.get("__package__")) \
        if level else name
    note(importer, base)
    for item in fromlist or ():
        note(importer, f"{base}.{item}")
    return module
current = ["?"]
def recording_import_module(name, package=None):
    note(current[0], importlib.util.resolve_name(name, package) if name.startswith(".") else name)
    return real_import_module(name, package)
builtins.__import__, importlib.import_module = recording_import, recording_import_module
def load(path):
    name = ".".join(Path(path).with_suffix("").parts)
    if name in sys.modules:
        return
    current[0] = name
    spec = importlib.util.spec_from_file_location(name, root / path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
for path in paths:
    parents = [p for p in reversed(Path(path).parents) if (root / p / "conftest.py").is_file()]
    try:
        for parent in parents:
            load(str(parent / "conftest.py"))
        load(path)
    except BaseException:  # a module this environment skips or cannot import (SDK v2)
        failed.append(path)
print(json.dumps({"edges": {k: sorted(v) for k, v in edges.items()}, "failed": failed}))
"""


def _resolved(name: str, modules: set[str]) -> set[str]:
    """The repository modules an imported name stands for (as Python runs them: it and its
    packages; a bare name from testing/ too)."""
    found = set()
    for candidate in (name, f"testing.{name}"):
        parts = candidate.split(".")
        found |= {".".join(parts[:end]) for end in range(1, len(parts) + 1)} & modules
    return found


@pytest.fixture(name="brute_force", scope="module")
def fixture_brute_force() -> tuple[ImportGraph, dict[str, set[str]], list[str]]:
    """The graph, each test module's modules as really imported (its closure over the recorded
    edges, conftest.py files included), and the test modules that cannot be imported here."""
    graph = ImportGraph.build(REPO_ROOT)
    tests = sorted(path for path in graph.modules.values() if is_test_module(path))
    done = subprocess.run([sys.executable, "-c", RECORD_IMPORTS, str(REPO_ROOT), *tests],
                          cwd=REPO_ROOT, capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert done.returncode == 0, done.stderr[-3000:]
    recorded = json.loads(done.stdout.splitlines()[-1])
    modules = set(graph.modules)
    edges = {importer: set().union(*(_resolved(name, modules) for name in names))
             for importer, names in recorded["edges"].items() if importer in modules}
    imported = {}
    for path in tests:
        if path in recorded["failed"]:
            continue
        roots = {module_name(path)} | {module_name(f"{p}/conftest.py") for p in
                                       Path(path).parents if f"{p}/conftest.py" in graph.files}
        seen, stack = set(roots), list(roots)
        while stack:
            for target in edges.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        imported[path] = seen
    return graph, imported, recorded["failed"]


SAMPLE_CHANGES = ["shared_code/amltoolbox/errors.py", "shared_code/tabular_utils/frames.py",
                  "shared_code/amltoolbox/serving/schema.py",
                  "shared_code/aml_studio/app.py",
                  "shared_code/plottingtoolbox/evaluation_plots.py", "model_a/model.py",
                  "model_b/script_steps/evaluate.py",
                  "shared_code/amltoolbox/deployment/deploy.py",
                  "shared_code/image_utils/pixels.py", "testing/azureml_offline.py",
                  "shared_code/model_scaffold/new_model.py", "shared_code/devops/import_graph.py"]


def _selected_modules(graph: ImportGraph, selection) -> set[str]:
    return {path for path in graph.modules.values() if is_test_module(path)
            and any(path == test or path.startswith(test + "/") for test in selection.reasons)}


@pytest.mark.integration
@pytest.mark.parametrize("changed", SAMPLE_CHANGES)
def test_the_selection_holds_every_test_that_really_imports_the_change(brute_force, changed):
    graph, imported, _ = brute_force
    if changed not in graph.files:
        pytest.skip(f"{changed} is not in this repository")
    really = {test for test, modules in imported.items() if module_name(changed) in modules}
    selected = _selected_modules(graph, select(graph, [changed]))
    assert really <= selected, f"missed: {sorted(really - selected)}"
    if graph.model_of(changed) is None:
        assert selected, "a module that tests import selects them"


@pytest.mark.integration
def test_every_module_any_test_really_imports_selects_that_test(brute_force):
    graph, imported, failed = brute_force
    assert len(failed) < len(imported) / 4, f"most test modules import here: {failed}"
    selecting = {module: _selected_modules(graph, select(graph, [graph.modules[module]]))
                 for module in set().union(*imported.values())}
    for test, modules in imported.items():
        missing = {module for module in modules if test not in selecting[module]}
        assert not missing, f"{test} imports {sorted(missing)}, whose change does not select it"
