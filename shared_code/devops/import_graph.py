"""What each file of the repository can affect, read from the source and never by importing it.

Every Python file under the repository (but virtual environments, data and tool folders) is
a module named by its path (shared_code/amltoolbox/errors.py is
shared_code.amltoolbox.errors; the tests also import testing/'s own files by their bare
name, testing_helpers, as conftest puts testing/ on sys.path). A module depends on:
- what its import statements name, wherever they are (a function's late import counts),
  and the packages those live in, whose __init__ runs first; a name imported from a
  package is followed to the module the package's __init__ takes it from, but an
  __init__'s own `if TYPE_CHECKING:` imports are not run (shared_code.amltoolbox serves
  its names lazily, so `from shared_code.amltoolbox import run_step` costs step_main only);
- a string constant that is a module's dotted name (`python -m shared_code.amltoolbox.x`),
  a sibling module's bare or file name (a dispatch table's "run_cmd", a launcher's
  "step_launcher.py") or, in testing/, a model
  folder's name (a test that runs "model_a");
- for a test module: the conftest.py files above it; under testing/<model>/, the whole model
  folder (its tests run its pipeline in other processes); and every model folder when it
  imports model_folders (it is parametrized over them).
A file that is not Python is read by the modules beside it (the package it lies in, or the
model folder), and by the modules whose string constants name it.
"""
import ast
import functools
import os
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from shared_code.amltoolbox.layout import is_model_folder
from shared_code.code_snapshot.import_graph import module_imports

# Folders that hold no source of the project: environments, data, outputs, caches.
SKIPPED = {".git", ".tox", "virtualenvs", ".aml_workspace", "data", "__pycache__", "reports",
           "outputs", "output", ".ipynb_checkpoints", "node_modules", ".pytest_cache"}
TESTING = "testing"
# The function that lists the model folders: a test module that imports it tests every model.
EVERY_MODEL = "model_folders"


def _skipped(name: str) -> bool:
    """A folder or file no source is in: SKIPPED, a virtualenv, coverage's data (.coverage and
    its per-process .coverage.*, left at the root by a test run; .coveragerc is a source)."""
    return (name in SKIPPED or name.startswith(".venv") or name == ".coverage"
            or name.startswith(".coverage."))


def source_files(root: Path) -> list[str]:
    """Every file of the project under `root`, as posix paths relative to it."""
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        files = [name for name in files if not _skipped(name)]  # a worktree's .git is a file
        relative = PurePosixPath(Path(folder).relative_to(root).as_posix())
        found.extend(str(relative / name) if str(relative) != "." else name
                     for name in sorted(files))
    return found


def module_name(path: str) -> str:
    """shared_code/amltoolbox/errors.py -> shared_code.amltoolbox.errors (__init__: the package)."""
    parts = list(PurePosixPath(path).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_test_module(path: str) -> bool:
    """A module pytest collects (testing/pytest.ini: python_files = test_*.py)."""
    pure = PurePosixPath(path)
    return pure.parts[0] == TESTING and pure.name.startswith("test_") and pure.suffix == ".py"


@dataclass
class _Parsed:
    """What one module's source says: the names it imports, its string constants, and (for a
    package's __init__) the module each imported name comes from."""
    imports: set[str] = field(default_factory=set)
    strings: set[str] = field(default_factory=set)
    provides: dict[str, str] = field(default_factory=dict)
    type_checking: set[str] = field(default_factory=set)


# A string literal that could name a module, a model folder or a file, or a module by the
# core's `module:attribute` references (loading.py): what a string reference is looked for
# in (read from the text: walking every expression costs 4x more).
_NAMING_STRING = re.compile(r"""["']([\w./-]+)(?::\w+)?["']""")


def _parse(source: str, module: str, is_package: bool) -> _Parsed:
    imports = module_imports(ast.parse(source), module, is_package)
    return _Parsed(imports.imports, set(_NAMING_STRING.findall(source)), imports.provides,
                   imports.type_checking)


@dataclass(frozen=True)
class ImportGraph:
    """The modules of a repository, what each depends on, and who reads each other file."""
    root: Path
    modules: dict[str, str]           # dotted name -> path
    depends: dict[str, frozenset]     # module -> the modules it depends on directly
    strings: dict[str, frozenset]     # module -> its string constants
    provided: dict[str, frozenset]    # module -> the names its imports bind
    files: tuple[str, ...]            # every file of the project
    models: tuple[str, ...]           # the model folders

    @classmethod
    def build(cls, root: Path, extra_paths: tuple[str, ...] = ()) -> "ImportGraph":
        """Read every Python file under `root`; `extra_paths` (deleted files) are known by
        name, so that whoever imported them is found."""
        root = Path(root)
        files = source_files(root)
        models = tuple(sorted(p.name for p in root.iterdir() if p.is_dir()
                              and not _skipped(p.name) and is_model_folder(p)))
        python = [p for p in files if p.endswith(".py")]
        modules = {module_name(p): p for p in [*python, *extra_paths] if p.endswith(".py")}
        parsed = {}
        for path in python:
            try:
                source = (root / path).read_text(encoding="utf-8")
                parsed[module_name(path)] = _parse(source, module_name(path),
                                                   path.endswith("__init__.py"))
            except (SyntaxError, UnicodeDecodeError, ValueError):
                parsed[module_name(path)] = _Parsed()  # pylint reports it; it depends on nothing
        by_model = {model: {name for name, path in modules.items()
                            if path.startswith(f"{model}/")} for model in models}
        depends = {name: frozenset(_depends(name, path, parsed, modules, by_model))
                   for name, path in modules.items()}
        return cls(root, modules, depends,
                   {name: frozenset(p.strings) for name, p in parsed.items()},
                   {name: frozenset(p.provides) for name, p in parsed.items()},
                   tuple(files), models)

    def tests_every_model(self, name: str) -> bool:
        """Whether a test module is parametrized over every model folder."""
        return is_test_module(self.modules[name]) and EVERY_MODEL in self.provided.get(name, ())

    def model_of(self, path: str) -> str | None:
        """The model folder a path lies in, if any."""
        first = PurePosixPath(path).parts[0]
        return first if first in self.models else None

    @functools.cached_property
    def _base_names(self) -> Counter:
        return Counter(path.rpartition("/")[2] for path in self.files)

    def owner(self, path: str) -> str | None:
        """The model a path belongs to: in its folder or in its tests' folder."""
        parts = PurePosixPath(path).parts
        if parts[0] == TESTING and len(parts) > 2:
            return parts[1] if parts[1] in self.models else None
        return self.model_of(path)

    @functools.cached_property
    def _modules_by_model(self) -> dict[str, frozenset]:
        return {model: frozenset(name for name, path in self.modules.items()
                                 if path.startswith(f"{model}/")) for model in self.models}

    def model_modules(self, model: str) -> frozenset:
        """Every module of a model folder."""
        return self._modules_by_model.get(model, frozenset())

    @functools.cached_property
    def _readers_found(self) -> dict[str, frozenset]:
        # Each model's trigger paths ask for the readers of every file: found once per file,
        # not once per file and model (a scan of every module's strings, with 100 models
        # 2 s a model).
        return {}

    def readers(self, path: str) -> frozenset:
        """The modules a change to `path` changes: itself if Python; for any other file, the
        model folder it lies in, or the modules of its package (or folder, under testing/),
        and the modules whose strings name it."""
        found = self._readers_found.get(path)
        if found is None:
            found = self._readers_found[path] = frozenset(self._find_readers(path))
        return found

    def _find_readers(self, path: str) -> set[str]:
        if path.endswith(".py"):
            return {module_name(path)}
        model = self.model_of(path)
        if model:
            return self.model_modules(model)
        pure = PurePosixPath(path)
        # Named by its path, by a tail of it ("devops/ci_template.yml"), or by its base name
        # when that has an extension ("ci_template.yml"; "run" alone would be any word); a
        # base name that several files share (each model's testing_samples/one_patient.json)
        # names the one of the reader's own model.
        shared_name = self._base_names[pure.name] > 1
        readers = {name for name, strings in self.strings.items()
                   if any(s == path or ("/" in s and path.endswith("/" + s)) or (
                       s == pure.name and "." in pure.name.lstrip(".") and (
                           not shared_name or self.owner(self.modules[name]) == self.owner(path)))
                          for s in strings)}
        for folder in pure.parents:
            if str(folder) == ".":
                break
            beside = {module_name(p) for p in self.modules.values()
                      if PurePosixPath(p).parent == folder}
            if beside and (pure.parts[0] == TESTING or f"{folder}/__init__.py" in self.files):
                return readers | beside
        return readers

    def affected_by(self, changed: set[str]) -> dict[str, list[str]]:
        """Every module that depends on a changed module, directly or not, with the chain
        from the changed module to it (shortest first found)."""
        dependants: dict[str, set[str]] = {name: set() for name in self.modules}
        for name, targets in self.depends.items():
            for target in targets:
                dependants[target].add(name)
        chains = {name: [name] for name in changed if name in self.modules}
        queue = deque(chains)
        while queue:
            current = queue.popleft()
            for dependant in sorted(dependants[current]):
                if dependant not in chains:
                    chains[dependant] = [*chains[current], dependant]
                    queue.append(dependant)
        return chains

    def dependencies_of(self, sources: set[str]) -> set[str]:
        """Every module the given ones depend on, directly or not, and themselves."""
        seen, stack = set(sources), list(sources)
        while stack:
            for target in self.depends.get(stack.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    stack.append(target)
        return seen


def _resolve(name: str, modules: dict[str, str]) -> set[str]:
    """The repository modules that importing `name` runs: it and its packages (a bare name
    from testing/ too, as conftest puts testing/ on sys.path)."""
    found = set()
    for candidate in (name, f"{TESTING}.{name}"):
        parts = candidate.split(".")
        prefixes = {".".join(parts[:end]) for end in range(1, len(parts) + 1)}
        found |= prefixes & modules.keys()
    return found


def _depends(name: str, path: str, parsed: dict[str, _Parsed], modules: dict[str, str],
             by_model: dict[str, set[str]]) -> set[str]:
    own = parsed.get(name, _Parsed())
    targets = set()
    for imported in own.imports:
        resolved = _resolve(imported, modules)
        targets |= resolved
        package, _, attribute = imported.rpartition(".")
        source = parsed.get(package, _Parsed()).provides.get(attribute)
        if package in modules and imported not in modules and source:
            targets |= _resolve(source, modules)
    targets |= (own.strings - by_model.keys()) & modules.keys()
    # A sibling named by its bare name, as a dispatch table names the module to import, or by
    # its file name, as a launcher started by its path (Path(__file__).with_name("x.py")).
    package = name if path.endswith("__init__.py") else name.rpartition(".")[0]
    targets |= {f"{package}.{s.removesuffix('.py')}" for s in own.strings} & modules.keys()
    pure = PurePosixPath(path)
    # A test that names a model runs it; the toolbox naming one (new-model's default source)
    # depends on it only when that command runs, which is not what importing it does.
    named_models = own.strings & by_model.keys() if pure.parts[0] == TESTING else set()
    if is_test_module(path):
        if EVERY_MODEL in own.provides:
            named_models |= by_model.keys()
        if len(pure.parts) > 2 and pure.parts[1] in by_model:
            named_models.add(pure.parts[1])
        for folder in pure.parents:
            conftest = module_name(f"{folder}/conftest.py")
            if conftest in modules:
                targets.add(conftest)
    for model in named_models:
        targets |= by_model[model]
    targets.discard(name)
    return targets
