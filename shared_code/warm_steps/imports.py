"""What a model's steps import from outside the repository, found in its code without running
it: every import of the step scripts and of the model folder's modules they reach (inside
functions too: a model imports xgboost where it trains), and the module-level imports of the
repository's other modules they reach. Azure
ML's modules are left out: a step imports them itself, so that the launcher can point
Run.get_context at the local run."""
import ast
import functools
from pathlib import Path

from shared_code.amltoolbox.paths import REPO_ROOT

_LEFT_OUT = ("azureml", "azure")


def third_party_imports(steps_folder: Path, repo_root: Path = REPO_ROOT) -> list[str]:
    """The dotted names of the modules outside `repo_root` that the scripts in `steps_folder`
    import, directly or through the repository's modules, in the order first met."""
    return imports_outside(sorted(steps_folder.glob("*.py")), steps_folder.parent, repo_root)


def imports_outside(scripts: list[Path], model: Path | None,
                    repo_root: Path = REPO_ROOT) -> list[str]:
    """What third_party_imports finds from `scripts`: all imports read in the files of the
    model folder `model`, the module-level ones elsewhere."""
    repo_root = repo_root.resolve()  # a path through `..` would name no package
    found: dict[str, None] = {}
    seen: set[Path] = set()
    files = [script.resolve() for script in scripts]
    while files:
        file = files.pop(0)
        if file in seen:
            continue
        seen.add(file)
        everywhere = model is not None and file.is_relative_to(model.resolve())
        for name in _imports(file, repo_root, everywhere):
            own = _module_file(name, repo_root)
            if own is not None:
                files.append(own)
            elif name.split(".")[0] not in _LEFT_OUT and not _is_repo_name(name, repo_root):
                found.setdefault(name, None)
    return list(found)


@functools.lru_cache(maxsize=1024)
def _imports(file: Path, repo_root: Path, everywhere: bool) -> list[str]:
    """The absolute names `file` imports: anywhere in it, or at module level only (read once
    a process: what is found only guides which modules a server imports)."""
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, UnicodeDecodeError):
        return []  # the step will report it
    nodes = ast.walk(tree) if everywhere else _module_level(tree.body)
    package = file.relative_to(repo_root).parent.parts if file.is_relative_to(repo_root) else ()
    names = []
    for node in nodes:
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[:len(package) - node.level + 1] if node.level else ()
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            lazy = _lazy_exports(module, repo_root)
            for alias in node.names:
                submodule = f"{module}.{alias.name}"
                if _module_file(submodule, repo_root):
                    names.append(submodule)
                elif alias.name in lazy:
                    names.append(lazy[alias.name])
    return names


def _is_type_checking(node) -> bool:
    test = getattr(node, "test", None)
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _lazy_exports(package: str, repo_root: Path) -> dict[str, str]:
    """The names a repository package exports lazily (its __getattr__ imports them when first
    asked), from the `if TYPE_CHECKING:` imports that tell editors where they live."""
    init = repo_root.joinpath(*package.split("."), "__init__.py")
    if not init.is_file():
        return {}
    exports = {}
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if _is_type_checking(node):
            for inner in node.body:
                if isinstance(inner, ast.ImportFrom) and inner.module:
                    parts = package.split(".")[:len(package.split(".")) - inner.level + 1]
                    module = ".".join([*(parts if inner.level else []), inner.module])
                    exports.update({alias.asname or alias.name: module
                                    for alias in inner.names})
    return exports


def _module_level(body: list) -> list:
    """The statements run on import: the body, and what its if and try blocks hold, but for
    `if TYPE_CHECKING:`."""
    nodes = []
    for node in body:
        nodes.append(node)
        if _is_type_checking(node):  # not run: the lazily exported names are followed
            nodes.extend(_module_level(node.orelse))
        elif isinstance(node, (ast.If, ast.Try)):
            nodes.extend(_module_level([*node.body, *node.orelse,
                                        *getattr(node, "finalbody", []),
                                        *(item for handler in getattr(node, "handlers", [])
                                          for item in handler.body)]))
    return nodes


def _module_file(name: str, repo_root: Path) -> Path | None:
    base = repo_root.joinpath(*name.split("."))
    return next((file for file in (base / "__init__.py", base.with_suffix(".py"))
                 if file.is_file()), None)


def _is_repo_name(name: str, repo_root: Path) -> bool:
    """Whether the name's top level is one of the repository's (a folder or module in it)."""
    top = repo_root / name.split(".")[0]
    return top.is_dir() or top.with_suffix(".py").is_file()
