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
from pathlib import Path
from typing import Iterable

from .paths import REPO_ROOT

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


def _package(path: Path, repo_root: Path) -> list[str]:
    """The package a file belongs to, as name parts (a package's __init__ is its own)."""
    parts = list(path.relative_to(repo_root).with_suffix("").parts)
    return parts[:-1]


def imported_names(path: Path, repo_root: Path = REPO_ROOT) -> set[str]:
    """The dotted names a file imports, relative imports resolved; for `from m import x`,
    both m and m.x (x may be a submodule)."""
    tree = ast.parse(path.read_bytes(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = _package(path, repo_root)
                base = package[:len(package) - node.level + 1]
                module = ".".join([*base, *([node.module] if node.module else [])])
            else:
                module = node.module or ""
            if module:
                names.add(module)
            names.update(f"{module}.{alias.name}".lstrip(".") for alias in node.names
                         if alias.name != "*")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
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
