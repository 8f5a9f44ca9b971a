"""The core (shared_code/amltoolbox) and its wings (the emulator, SDK v1's pipeline, SDK v2, the
studio, ...): the core imports nothing from shared_code outside itself, not even inside a
function, and finds a wing only through its tables of `module:attribute` strings; SDK v2
code reaches no SDK v1 module (azureml, the core's SDK v1 side, shared_code/amltoolbox/azure,
or the SDK v1 pipeline wing, shared_code/aml_sdk_v1)."""
import ast
from pathlib import Path

import pytest

from shared_code.amltoolbox import run_context
from shared_code.amltoolbox.local import runner
from shared_code.amltoolbox.cli import (datasets_cmd, main, models_cmd, pipeline_cli, replay_cmd,
                                        runs_cmd, sdk_v2)
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.serving import request_log

CORE = REPO_ROOT / "shared_code" / "amltoolbox"
SDK_V2 = REPO_ROOT / "shared_code" / "aml_sdk_v2"
SDK_V1 = ("azureml", "shared_code.amltoolbox.azure", "shared_code.aml_sdk_v1")

# Every wing the core names, table by table.
REFERENCES = [*pipeline_cli.TARGETS.values(), *sdk_v2.FUNCTIONS.values(), runs_cmd.RUN_PAGE,
              models_cmd.CARD_COMMAND, request_log.REQUEST_WRITER,
              datasets_cmd.REGISTER_IN_AZURE, runner.WARM_START,
              replay_cmd.EMULATED_RUN, replay_cmd.EMULATED_REPLAY,
              *(runtime for _, runtime in run_context.AZURE_RUNTIMES),
              *(module for module, _ in main.COMMANDS.values() if "." in module)]


def module_name(file: Path) -> str:
    """The dotted name of a file of the repository."""
    parts = file.relative_to(REPO_ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def module_file(name: str) -> Path | None:
    """The repository's file of module `name`, if it is one of the repository's."""
    base = REPO_ROOT.joinpath(*name.split("."))
    return next((f for f in (base / "__init__.py", base.with_suffix(".py")) if f.is_file()), None)


def imports_of(file: Path) -> set[str]:
    """Every module the file imports, at any depth (inside functions too), relative ones
    resolved; `from x import name` counts x and x.name (in case name is a module)."""
    name = module_name(file)
    package = name.split(".") if file.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            parts = package[:len(package) - node.level + 1] if node.level else []
            base = ".".join(parts + ([node.module] if node.module else []))
            found.update({base, *(f"{base}.{alias.name}" for alias in node.names)})
    return found


def reachable_from(module: str) -> set[str]:
    """Every module importing `module` may import, following the repository's own modules
    (their parent packages too) through imports at any depth."""
    seen, pending = set(), [module]
    while pending:
        parts = pending.pop().split(".")
        for depth in range(1, len(parts) + 1):
            name = ".".join(parts[:depth])
            file = None if name in seen else module_file(name)
            seen.add(name)
            if file is not None:
                pending.extend(imports_of(file))
    return seen


def outside_the_core(file: Path) -> set[str]:
    """The modules of shared_code outside the core that the file imports."""
    return {name for name in imports_of(file)
            if name.split(".")[0] == "shared_code" and name != "shared_code"
            and not (name + ".").startswith("shared_code.amltoolbox.")}


def is_sdk_v1(name: str) -> bool:
    """`name` is azureml's or the core's SDK v1 side's."""
    return any(name == prefix or name.startswith(prefix + ".") for prefix in SDK_V1)


@pytest.mark.parametrize("file", sorted(CORE.rglob("*.py")), ids=lambda f: str(f.relative_to(CORE)))
def test_the_core_imports_nothing_outside_itself(file):
    assert not outside_the_core(file), f"{file.relative_to(REPO_ROOT)} imports a wing or " \
        "another package of shared_code: name it in a table and load it on use (loading.py)"


@pytest.mark.parametrize("file", sorted(SDK_V2.rglob("*.py")), ids=lambda f: f.name)
def test_sdk_v2_code_reaches_no_sdk_v1_module(file):
    reached = sorted(name for name in reachable_from(module_name(file)) if is_sdk_v1(name))
    assert not reached, f"{file.relative_to(REPO_ROOT)} reaches SDK v1 modules: {reached}"


@pytest.mark.parametrize("reference", REFERENCES)
def test_each_reference_in_the_cores_tables_names_a_module_and_what_it_defines(reference):
    """Read, not imported: the SDK v2 wing's modules import azure-ai-ml, which the tests
    environment lacks."""
    module, _, attribute = reference.partition(":")
    file = module_file(module)
    assert file is not None, f"{reference}: no module {module}"
    defined = {node.name for node in ast.parse(file.read_text(encoding="utf-8")).body
               if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    assert not attribute or attribute in defined, f"{reference}: {module} has no {attribute}"


def test_the_readers_see_a_wing_imported_inside_a_function(tmp_path, monkeypatch):
    monkeypatch.setattr(f"{__name__}.REPO_ROOT", tmp_path)
    (tmp_path / "shared_code" / "amltoolbox").mkdir(parents=True)
    core_file = tmp_path / "shared_code" / "amltoolbox" / "command.py"
    core_file.write_text("def main():\n    from ..aml_studio.server import serve\n",
                         encoding="utf-8")
    assert outside_the_core(core_file) == {"shared_code.aml_studio.server",
                                           "shared_code.aml_studio.server.serve"}
    (tmp_path / "shared_code" / "aml_sdk_v2").mkdir()
    (tmp_path / "shared_code" / "aml_sdk_v2" / "job.py").write_text(
        "def submit():\n    from shared_code.amltoolbox import command\n", encoding="utf-8")
    core_file.write_text("import azureml.core\n", encoding="utf-8")
    assert "azureml.core" in reachable_from("shared_code.aml_sdk_v2.job")
