"""v2 readiness: the SDK v1 calls in a model's step scripts that do not work inside an SDK
v2 job, found by reading the scripts (nothing is imported or run).

A v2 command job has no azureml-core and no v1 run: `Run.get_context()` gives nothing to
read, and its inputs and outputs arrive as paths on the command line, not as
`run.input_datasets` / `run.output_datasets`. The toolbox's run context (run_step's
main(context), or get_run_context()) gives a step the same surface in both SDKs.
"""
import ast
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import Step

V1_PACKAGES = ("azureml.core", "azureml.data", "azureml.pipeline")
USE_THE_TOOLBOX = ("take the run from main(context) (`run_step(main)`; or "
                   "shared_code.amltoolbox's get_run_context()), which reads the v2 job's paths")
REPLACEMENTS = {
    "import": ("is SDK v1, which a v2 job's environment does not have: import the toolbox's "
               "run context instead (from shared_code.amltoolbox import StepContext, run_step)"),
    "get_context": f"gives no run inside a v2 job: {USE_THE_TOOLBOX}",
    "datasets": ("v2 passes inputs and outputs as paths on the command line: read them from "
                 "the toolbox's run (context.run.input_datasets / output_datasets, same names), "
                 "or take the paths as arguments (argparse)"),
    "other": ("is SDK v1: inside a v2 job use azure.ai.ml (MLClient), or the toolbox "
              "(registration: register_step; datasets: the run's inputs)"),
}


class V1CallsError(UserError):
    """A model's step scripts use SDK v1 calls that fail inside a v2 job."""


@dataclass(frozen=True)
class V1Call:
    """One SDK v1 use: where, what, and what to write instead."""
    path: Path
    line: int
    what: str
    replacement: str

    def describe(self, root: Path) -> str:
        """file:line: what: replacement."""
        shown = self.path.relative_to(root) if self.path.is_relative_to(root) else self.path
        return f"{shown}:{self.line}: {self.what} {self.replacement}"


def _is_v1(module: str) -> bool:
    return any(module == package or module.startswith(f"{package}.") for package in V1_PACKAGES)


class _Finder(ast.NodeVisitor):
    """Walks one script: v1 imports, the names they bind, the runs Run.get_context() gives."""

    def __init__(self, path: Path):
        self.path, self.found = path, []
        self.v1_names: dict[str, str] = {}  # local name -> azureml.core.Name
        self.v1_runs: set[str] = set()  # variables holding Run.get_context()

    def _add(self, node: ast.AST, what: str, kind: str) -> None:
        self.found.append(V1Call(self.path, node.lineno, what, REPLACEMENTS[kind]))

    def visit_Import(self, node: ast.Import) -> None:  # pylint: disable=invalid-name
        """import azureml.core[.run] ..."""
        for alias in node.names:
            if _is_v1(alias.name):
                self._add(node, f"import {alias.name}", "import")

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:  # pylint: disable=invalid-name
        """from azureml.core.run import Run ..."""
        if node.module and _is_v1(node.module):
            names = ", ".join(alias.name for alias in node.names)
            self._add(node, f"from {node.module} import {names}", "import")
            for alias in node.names:
                self.v1_names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def visit_Assign(self, node: ast.Assign) -> None:  # pylint: disable=invalid-name
        """run = Run.get_context(): remember `run`."""
        if self._is_get_context(node.value):
            self.v1_runs |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:  # pylint: disable=invalid-name
        """Run.get_context(), Dataset.get_by_name(...), Workspace.from_config(), ..."""
        func = node.func
        if self._is_get_context(node):
            self._add(node, "Run.get_context()", "get_context")
        elif (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
              and func.value.id in self.v1_names):
            self._add(node, f"{self.v1_names[func.value.id]}.{func.attr}()", "other")
        elif isinstance(func, ast.Name) and func.id in self.v1_names:
            self._add(node, f"{self.v1_names[func.id]}()", "other")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:  # pylint: disable=invalid-name
        """run.input_datasets / run.output_datasets of a run Run.get_context() gave."""
        if (node.attr in ("input_datasets", "output_datasets") and isinstance(node.value, ast.Name)
                and node.value.id in self.v1_runs):
            self._add(node, f"{node.value.id}.{node.attr}", "datasets")
        self.generic_visit(node)

    def _is_get_context(self, node: ast.AST) -> bool:
        return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "get_context" and isinstance(node.func.value, ast.Name)
                and self.v1_names.get(node.func.value.id, "").endswith(".Run"))


def v1_calls_in(script: Path) -> list[V1Call]:
    """The SDK v1 uses in one script, in line order."""
    finder = _Finder(script)
    finder.visit(ast.parse(script.read_text(encoding="utf-8"), str(script)))
    return sorted(finder.found, key=lambda call: call.line)


def v1_calls_in_steps(config: ModelConfig, steps: Sequence[Step]) -> list[V1Call]:
    """The SDK v1 uses in every script the model's steps run, each script once."""
    scripts = dict.fromkeys(config.layout.script(step.script_name) for step in steps)
    return [call for script in scripts if script.is_file() for call in v1_calls_in(script)]


def readiness_report(config: ModelConfig, calls: Sequence[V1Call], root: Path) -> str:
    """What does not work inside a v2 job, one line per use, file:line first."""
    return "\n".join([f"{len(calls)} SDK v1 call(s) in {config.folder.name}'s step scripts do "
                      "not work inside an SDK v2 job:",
                      *(f"  {call.describe(root)}" for call in calls)])
