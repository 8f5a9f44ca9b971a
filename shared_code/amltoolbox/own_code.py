"""A model folder runs its own code, or nothing: every command that runs a folder's code
refuses one whose files import another model folder's package (a copy made by hand, say)."""
import ast
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import UserError
from .layout import NEW_MODEL_COMMAND, NOT_CODE, misnamed_folder_error, model_folders


_WORD = re.compile(r"\w+")


class ForeignCodeError(UserError):
    """A model folder whose code imports another model folder's package."""


@dataclass(frozen=True)
class ForeignImport:
    """`file`, at `line`, imports `module`, which belongs to the model folder `owner`."""
    file: Path
    line: int
    module: str
    owner: str


def _code_files(folder: Path) -> list[Path]:
    """The folder's Python files that a step, the entry script or the pipeline runs."""
    return sorted(path for path in folder.rglob("*.py")
                  if not set(path.relative_to(folder).parts[:-1]) & set(NOT_CODE))


def _imports(source: Path) -> list[tuple[int, str]]:
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"), str(source))
    except SyntaxError:
        return []  # running it reports that, with Python's own message
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
    return found


def foreign_imports(folder: Path) -> list[ForeignImport]:
    """Every import, in the folder's code, of another model folder's package."""
    folder = Path(folder).resolve()
    others = {p.name for p in model_folders(folder.parent)} - {folder.name}
    found = []
    for source in _code_files(folder):
        text = source.read_text(encoding="utf-8")
        if others.isdisjoint(_WORD.findall(text)):  # most files: no parse needed
            continue
        found += [ForeignImport(source, line, module, module.split(".")[0])
                  for line, module in _imports(source) if module.split(".")[0] in others]
    return found


def describe_foreign_imports(folder: Path) -> str:
    """What check_own_code() refuses in `folder`, with the fix; empty when nothing is."""
    folder = Path(folder).resolve()
    found = foreign_imports(folder)
    if not found:
        return ""
    lines = [f"{item.file.relative_to(folder.parent)}:{item.line} imports {item.module}: "
             f"import {folder.name}{item.module[len(item.owner):]} instead" for item in found]
    return (f"{folder.name} imports another model folder's code, so it would run "
            f"{found[0].owner}'s model, not its own; nothing was run.\n  " + "\n  ".join(lines)
            + f"\n(a copy made by `{NEW_MODEL_COMMAND} NAME --from {found[0].owner}` has its "
              "imports renamed)")


def check_own_code(folder: Path) -> None:
    """Refuse a model folder that is misnamed or whose code imports another model folder's."""
    folder = Path(folder).resolve()
    if not folder.name.isidentifier():
        raise misnamed_folder_error(folder)
    problem = describe_foreign_imports(folder)
    if problem:
        raise ForeignCodeError(problem)
