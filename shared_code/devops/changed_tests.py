"""Test what a change touches: `tox -e changed [-- BASE]`.

The files changed since BASE (default: the merge base with main; committed, staged, not
staged and untracked alike) are linted with pylint, and the tests they can affect are run,
found from the import graph (shared_code/devops/import_graph.py): a test module runs when it
depends on a changed file, directly or not; a change to the lock, tox.ini or the test
helpers runs everything. It prints what it selected and why, one line per test path.

It lives beside the CI templates because the CI uses the same graph: each model's trigger
paths (trigger_paths.py) are the files whose change selects that model's tests here.
"""
import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.devops.import_graph import TESTING, ImportGraph, is_test_module

# What every test runs with or under: a change to one of these runs everything.
EVERYTHING = ("tox.ini", "virtualenvs/requirements.txt", "testing/conftest.py",
              "testing/pytest.ini", "testing/.pylintrc", "testing/.coveragerc")
HELPER_SUFFIX = "_helpers.py"
PYTEST_NO_TESTS = 5  # pytest's exit code when it collected nothing
DEFAULT_BRANCH = "main"
# The model folders the tests of every model folder run for (testing/tested_models.py).
TESTED_MODELS_ENV_VAR = "TESTED_MODELS"


class ChangedFilesError(UserError):
    """The changed files could not be listed (no git, or no such base)."""


@dataclass(frozen=True)
class Selection:
    """The tests to run, each with why; everything=True means the whole suite. The `narrowed`
    ones test every model folder and only model folders changed: of their tests, those
    naming an unchanged model (`unchanged`, for pytest -k) are left out, and they are
    collected for the `changed` models only."""
    reasons: dict[str, str]          # test path (a folder or a module) -> why
    everything: bool = False
    narrowed: frozenset = frozenset()
    unchanged: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()


def runs_everything(path: str) -> bool:
    """Whether a change to `path` can affect every test."""
    pure = PurePosixPath(path)
    return path in EVERYTHING or (pure.parts[0] == TESTING and pure.name.endswith(HELPER_SUFFIX)
                                  and not is_test_module(path))


def _git(root: Path, *arguments: str) -> list[str]:
    try:
        done = subprocess.run(["git", "-C", str(root), *arguments], capture_output=True,
                              text=True, check=True)
    except FileNotFoundError as error:
        raise ChangedFilesError("git is not installed: the changed files come from git; "
                                "install it, or run `tox` for everything") from error
    except subprocess.CalledProcessError as error:
        raise ChangedFilesError(f"git {' '.join(arguments)} failed ({error.stderr.strip()}): "
                                "pass a base that exists, e.g. `tox -e changed -- HEAD~1`") \
            from error
    return [line for line in done.stdout.splitlines() if line]


def default_base(root: Path) -> str:
    """The merge base of HEAD with main."""
    (base,) = _git(root, "merge-base", "HEAD", DEFAULT_BRANCH)
    return base


def changed_files(root: Path, base: str) -> list[str]:
    """Every file changed since `base`, committed or not, untracked included."""
    changed = _git(root, "diff", "--name-only", "--no-renames", base, "--")
    changed += _git(root, "ls-files", "--others", "--exclude-standard")
    return sorted(set(changed))


def _why(graph: ImportGraph, chain: list[str], trigger: dict[str, str]) -> str:
    """'<file> changed', and the modules it reaches the test through."""
    through = [graph.modules[name] for name in chain[1:-1]]
    text = f"{trigger[chain[0]]} changed"
    if through:
        shown = ", ".join(through[:2]) + (", ..." if len(through) > 2 else "")
        text += f" (through {shown})"
    return text


def select(graph: ImportGraph, changed: list[str]) -> Selection:
    """The tests the changed files can affect, each with the first reason found."""
    for path in changed:
        if runs_everything(path):
            return Selection({TESTING: f"{path} changed, which every test runs with"}, True)
    trigger: dict[str, str] = {}
    for path in changed:
        for reader in sorted(graph.readers(path)):
            trigger.setdefault(reader, path)
    chains = graph.affected_by(set(trigger))
    tests = {graph.modules[name]: _why(graph, chain, trigger)
             for name, chain in chains.items() if is_test_module(graph.modules[name])}
    changed_models = {graph.model_of(path) for path in changed} - {None}
    unchanged = tuple(sorted(set(graph.models) - changed_models))
    from_elsewhere = graph.affected_by({reader for reader, path in trigger.items()
                                        if graph.model_of(path) is None})
    narrowed = frozenset(
        graph.modules[name] for name in chains if unchanged and name not in from_elsewhere
        and graph.tests_every_model(name) and not graph.modules[name].startswith(
            tuple(f"{TESTING}/{model}/" for model in graph.models))
        and _keyword_safe(graph.modules[name], changed_models, unchanged))
    for path in narrowed:  # testing/<model>/ itself is one path (_by_folder)
        tests[path] += (f"; only its tests of {', '.join(sorted(changed_models))} "
                        "(it tests every model folder)")
    return Selection(_by_folder(graph, tests), narrowed=narrowed, unchanged=unchanged,
                     changed=tuple(sorted(changed_models)))


def _keyword_safe(path: str, changed_models: set[str], unchanged: tuple[str, ...]) -> bool:
    """Whether `pytest -k 'not (<unchanged models>)'` leaves out only tests of unchanged models
    in `path`: -k matches names within names, so no unchanged model's name may lie within a
    changed one's or within the module's path."""
    return not any(other in name for other in unchanged for name in (*changed_models, path))


def _by_folder(graph: ImportGraph, tests: dict[str, str]) -> dict[str, str]:
    """testing/<model> as one path when all its test modules are selected."""
    reasons = dict(sorted(tests.items()))
    for model in graph.models:
        folder = f"{TESTING}/{model}"
        inside = [path for path in graph.modules.values()
                  if path.startswith(folder + "/") and is_test_module(path)]
        if inside and all(path in reasons for path in inside):
            why = reasons[inside[0]]
            for path in inside:
                del reasons[path]
            reasons[folder] = why
    return dict(sorted(reasons.items()))


def _lint_targets(root: Path, changed: list[str], ignored: set[str]) -> list[str]:
    return [path for path in changed if path.endswith(".py") and (root / path).is_file()
            and not ignored & set(PurePosixPath(path).parts)]


def _pytest(root: Path, selection: Selection) -> list[int]:
    """pytest on the selected paths; the narrowed ones in a run of their own, with -k, their
    model parameters collected for the changed models only (a hundred models' cost little)."""
    whole = [] if selection.everything else [
        path for path in selection.reasons if path not in selection.narrowed]
    runs = [(whole, {})] if whole or selection.everything else []
    if selection.narrowed:
        runs.append(([*sorted(selection.narrowed), "-k",
                      f"not ({' or '.join(selection.unchanged)})"],
                     {TESTED_MODELS_ENV_VAR: ",".join(selection.changed)}))
    codes = []
    for arguments, environment in runs:
        code = subprocess.run([sys.executable, "-m", "pytest", "-c", "testing/pytest.ini",
                               f"--rootdir={root}", *arguments], cwd=root,
                              env={**os.environ, **environment}, check=False).returncode
        if code == PYTEST_NO_TESTS:
            print("pytest collected no tests in the selected paths (skipped or deselected): "
                  "nothing to run", flush=True)
            code = 0
        codes.append(code)
    return codes


def run(root: Path, base: str | None, ignored: set[str], dry_run: bool = False) -> int:
    """Print the selection, then lint and test it; the exit code of the first that failed."""
    base = base or default_base(root)
    changed = changed_files(root, base)
    deleted = tuple(path for path in changed if not (root / path).exists())
    graph = ImportGraph.build(root, deleted)
    selection = select(graph, changed)
    print(f"{len(changed)} file(s) changed since {base[:12]}; "
          f"{'every test' if selection.everything else f'{len(selection.reasons)} test path(s)'}"
          " selected:", flush=True)
    for path, why in selection.reasons.items():
        print(f"{path}: {why}", flush=True)
    lint = _lint_targets(root, changed, ignored)
    if dry_run:
        return 0
    codes = []
    if lint:
        codes.append(subprocess.run([sys.executable, "-m", "pylint", "--rcfile=testing/.pylintrc",
                                     *lint], cwd=root, check=False).returncode)
    if selection.reasons:
        codes += _pytest(root, selection)
    else:
        print("no test depends on the changed files: nothing to run", flush=True)
    return next((code for code in codes if code), 0)


def main(argv: list[str] | None = None) -> None:
    """tox -e changed [-- BASE]."""
    parser = argparse.ArgumentParser(prog="tox -e changed --",
                                     description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("base", nargs="?", help="the commit to compare with "
                        "(default: the merge base of HEAD with main)")
    parser.add_argument("--pylint-ignore", default="", help="comma-separated base names "
                        "pylint skips, as its --ignore (tox.ini passes the tests env's)")
    parser.add_argument("--dry-run", action="store_true",
                        help="print the selection only; run neither pylint nor pytest")
    arguments = parser.parse_args(argv)
    try:
        code = run(REPO_ROOT, arguments.base, set(filter(None, arguments.pylint_ignore.split(","))),
                   arguments.dry_run)
    except UserError as error:
        sys.exit(str(error))
    sys.exit(code)


if __name__ == "__main__":
    main()
