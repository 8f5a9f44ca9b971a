"""Which of the repository's Python files a script imports, directly or through others.

Read from the source (ast), never by importing: every `import` and `from ... import`
statement anywhere in a file counts, those inside functions too (a lazy import is still
needed where it runs), so the set errs on the side of more. Only modules with a file in
the repository count; importing `a.b.c` runs a/__init__.py and a/b/__init__.py as well.
A `"module:attribute"` string counts as an import of the module: it is how the core names
what loading.load() imports on use (a wing's command, the v2 job's runtime).
"""
import ast
import re
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from shared_code.amltoolbox.paths import REPO_ROOT

LOADED_REFERENCE = re.compile(r"^([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+):[A-Za-z_]\w*$")


def _module_file(name: str, repo_root: Path) -> Path | None:
    """The file of module `name` in the repository (a module or a package's __init__)."""
    base = repo_root.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


def module_files(name: str, repo_root: Path = REPO_ROOT) -> list[Path]:
    """The files importing `name` runs: each enclosing package's __init__.py, then its own."""
    parts = name.split(".")
    found = (_module_file(".".join(parts[:end]), repo_root) for end in range(1, len(parts) + 1))
    return [file for file in found if file is not None]


@dataclass
class ModuleImports:
    """What a module's import statements name, wherever they are (a function's too): the
    dotted names imported (for `from m import x`, both m and m.x: x may be a submodule),
    those imported under `if TYPE_CHECKING:` apart, and the module each bound name comes from
    (how a package's __init__ serves its names). The devops import graph reads them too."""
    imports: set[str] = field(default_factory=set)
    type_checking: set[str] = field(default_factory=set)
    provides: dict[str, str] = field(default_factory=dict)


def _absolute(module: str, is_package: bool, level: int, name: str | None) -> str:
    """The absolute name of a relative import in `module`."""
    if not level:
        return name or ""
    base = module.split(".")
    base = base[:len(base) - level + (1 if is_package else 0)]
    return ".".join([*base, *([name] if name else [])])


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _statements(body: list, guarded: bool):
    """Every statement in `body` and the bodies it holds, with whether it lies under an
    `if TYPE_CHECKING:` (expressions are not walked: imports are statements)."""
    for node in body:
        yield node, guarded
        if isinstance(node, ast.If):
            yield from _statements(node.body, guarded or _is_type_checking(node))
            yield from _statements(node.orelse, guarded)
            continue
        for name in ("body", "orelse", "finalbody", "handlers", "cases"):
            inner = getattr(node, name, None)
            if isinstance(inner, list):
                yield from _statements(inner, guarded)


def module_imports(tree: ast.Module, module: str, is_package: bool) -> ModuleImports:
    """The imports of module `module` (a package's __init__ when `is_package`), parsed."""
    found = ModuleImports()
    for node, guarded in _statements(tree.body, False):
        names: set[str] = set()
        if isinstance(node, ast.Import):
            names = {alias.name for alias in node.names}
            found.provides.update({(alias.asname or alias.name).split(".")[0]: alias.name
                                   for alias in node.names})
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(module, is_package, node.level, node.module)
            names = {base, *(f"{base}.{alias.name}" for alias in node.names
                             if alias.name != "*")} - {""}
            found.provides.update({alias.asname or alias.name: f"{base}.{alias.name}"
                                   for alias in node.names})
        (found.type_checking if guarded else found.imports).update(names)
    return found


def module_name(path: Path, repo_root: Path) -> str:
    """a/b/c.py -> a.b.c; a/b/__init__.py -> a.b."""
    parts = list(path.relative_to(repo_root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path, repo_root: Path = REPO_ROOT) -> set[str]:
    """The dotted names a file imports (under `if TYPE_CHECKING:` too), relative imports
    resolved, and the modules its `module:attribute` strings name."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    parsed = module_imports(tree, module_name(path, repo_root), path.name == "__init__.py")
    names = parsed.imports | parsed.type_checking
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            reference = LOADED_REFERENCE.match(node.value)
            if reference:
                names.add(reference.group(1))
    return names


def imported_files(roots: Iterable[Path], repo_root: Path = REPO_ROOT) -> set[Path]:
    """The repository's Python files that `roots` import, directly or not, roots included."""
    repo_root = Path(repo_root)
    seen: set[Path] = set()
    pending = deque(Path(root) for root in roots)
    while pending:
        path = pending.popleft()
        if path in seen:
            continue
        seen.add(path)
        for name in imported_names(path, repo_root):
            pending.extend(file for file in module_files(name, repo_root) if file not in seen)
    return seen
