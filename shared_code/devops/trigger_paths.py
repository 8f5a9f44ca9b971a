"""Each model's CI trigger paths, from the import graph: the files whose change can affect
what the model's CI runs (its tests, its pipeline locally and under the Azure ML emulator,
the Azure ML pipeline and its release artifact), and nothing else.

    python -m shared_code.devops.trigger_paths [--write]

prints each model's paths and the shared code's CI's (shared_code_pipeline.yml: what the
tests of testing/shared_code and testing/'s own test modules depend on), or writes them into
the yaml (`trigger:` and `pr:`, between the marker comments); a test checks that each yaml
holds what the graph gives, and `new-model` writes them for the model it makes.
"""
import argparse
import re
import sys
from pathlib import Path, PurePosixPath

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.devops.changed_tests import EVERYTHING, runs_everything
from shared_code.devops.import_graph import TESTING, ImportGraph, is_test_module

CI_FILE = "devops_pipeline.yml"
SHARED_CI_FILE = Path("shared_code") / "devops" / "shared_code_pipeline.yml"
SHARED_TESTS = f"{TESTING}/shared_code"
# The checks every model needs, which each model's CI runs for that model (ci_template.yml).
MODEL_KIT = f"{TESTING}/model_kit"
# What the CI runs besides the model's own modules and tests: the command line's `run`,
# `runs show` and `release-artifact` (the model's aml_pipeline.py runs the rest).
CLI = "shared_code.amltoolbox.__main__"
BEGIN = ("# trigger paths, from the import graph "
         "(python -m shared_code.devops.trigger_paths --write)")
END = "# end of trigger paths"
# The CI templates a model's yaml includes (the shared code's CI includes all but the first): a
# change to them changes what the CI runs.
CI_TEMPLATES = ("shared_code/devops/ci_template.yml", "shared_code/devops/jobs",
                "shared_code/devops/steps")
_BLOCK = re.compile(rf"^(\s*){re.escape(BEGIN)}\n.*?^\s*{re.escape(END)}\n", re.M | re.S)


class TriggerBlockError(UserError):
    """A devops_pipeline.yml without the marked block its trigger paths are written into."""


def trigger_paths(graph: ImportGraph, model: str) -> list[str]:
    """The model's folder, its tests' folder, and every other file its CI depends on (the
    model kit's included), a folder standing for all its files when it holds no other."""
    tests = f"{TESTING}/{model}"
    roots = graph.model_modules(model) | {CLI} | {
        name for name, path in graph.modules.items()
        if path.startswith((tests + "/", MODEL_KIT + "/"))}
    own = (f"{model}/", f"{tests}/")
    return [model, tests, *_folded(_needed(graph, roots, own, CI_TEMPLATES), graph.files)]


def shared_trigger_paths(graph: ImportGraph) -> list[str]:
    """Every file the shared code's CI depends on: what testing/shared_code's tests and
    testing/'s own test modules import, run or read."""
    roots = {name for name, path in graph.modules.items() if is_test_module(path)
             and (path.startswith(SHARED_TESTS + "/") or path.count("/") == 1)}
    templates = (SHARED_CI_FILE.as_posix(), *CI_TEMPLATES[1:])
    return _folded(_needed(graph, roots, (), templates), graph.files)


def _needed(graph: ImportGraph, roots: set[str], own: tuple[str, ...],
            templates: tuple[str, ...]) -> set[str]:
    """The files outside `own` whose change can affect the `roots` modules: what they depend
    on, what every test runs with, and the CI's yaml templates."""
    needed = graph.dependencies_of(roots & graph.modules.keys())
    always = {path for path in EVERYTHING if (graph.root / path).is_file()}
    return always | {path for path in graph.files if not path.startswith(own) and (
        runs_everything(path) or path.startswith(templates) or graph.readers(path) & needed)}


def _folded(wanted: set[str], files: tuple[str, ...]) -> list[str]:
    """`wanted` with each folder whose files are all wanted given as the folder."""
    folders: dict[str, list[str]] = {}
    for path in files:
        for parent in PurePosixPath(path).parents:
            if str(parent) != ".":
                folders.setdefault(str(parent), []).append(path)
    whole = {folder for folder, inside in folders.items() if all(p in wanted for p in inside)}
    folded = set()
    for path in wanted:
        covering = [str(p) for p in PurePosixPath(path).parents if str(p) in whole]
        folded.add(covering[-1] if covering else path)
    return sorted(folded)


def without_trigger_paths(text: str) -> str:
    """The yaml with its marked blocks left out (the lines a person writes)."""
    return _BLOCK.sub("", text)


def with_paths(text: str, paths: list[str]) -> str:
    """The yaml with every marked block holding `paths`, at the block's indentation."""
    def block(match: re.Match) -> str:
        indent = match.group(1)
        return "".join([f"{indent}{BEGIN}\n", *(f"{indent}- {path}\n" for path in paths),
                        f"{indent}{END}\n"])
    return _BLOCK.sub(block, text)


def write_trigger_paths(root: Path, model: str) -> int:
    """Write the model's trigger paths into its devops_pipeline.yml, and the shared code's CI's
    (whose tests over every model now include it); how many the model has (0 for a model
    without a CI file)."""
    graph = ImportGraph.build(root)
    if (root / SHARED_CI_FILE).is_file():
        _write(root / SHARED_CI_FILE, shared_trigger_paths(graph))
    yaml_file = root / model / CI_FILE
    return _write(yaml_file, trigger_paths(graph, model)) if yaml_file.is_file() else 0


def _write(yaml_file: Path, paths: list[str]) -> int:
    text = yaml_file.read_text(encoding="utf-8")
    if not _BLOCK.search(text):
        raise TriggerBlockError(f"{yaml_file}: no '{BEGIN}' block under `paths: include:` of "
                                "trigger: and pr:; add it and its end marker there, then run "
                                "python -m shared_code.devops.trigger_paths --write")
    yaml_file.write_text(with_paths(text, paths), encoding="utf-8")
    return len(paths)


def main(argv: list[str] | None = None) -> None:
    """Print or write the models' trigger paths, and the shared code's."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", maxsplit=1)[0])
    parser.add_argument("--write", action="store_true",
                        help=f"write them into each {CI_FILE} and {SHARED_CI_FILE.name}")
    arguments = parser.parse_args(argv)
    graph = ImportGraph.build(REPO_ROOT)
    pipelines = {REPO_ROOT / model / CI_FILE: trigger_paths(graph, model)
                 for model in graph.models}
    pipelines[REPO_ROOT / SHARED_CI_FILE] = shared_trigger_paths(graph)
    for yaml_file, paths in pipelines.items():
        where = yaml_file.relative_to(REPO_ROOT).as_posix()
        if not arguments.write:
            print(f"{where}:", *(f"  - {path}" for path in paths), sep="\n")
            continue
        try:
            print(f"{where}: {_write(yaml_file, paths)} trigger paths")
        except UserError as error:
            sys.exit(str(error))

if __name__ == "__main__":
    main()
