"""A new model folder from an existing one, renamed throughout, its tests ready to pass.

`new-model canal-level-forecasting --from model_a` makes canal_level_forecasting/ (an
importable folder name) and its mirror under testing/. The registered model name, the
experiment and the dataset names use the name as given. With `--train tabular|file` the
model keeps one training script, renamed train.py as the standard suggests, and its
pipeline and training dataset follow. Everything is built in a staging folder first and
moved into place at the end, so a failure leaves nothing half-made.
"""
import importlib.util
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.layout import GENERATED, ModelLayout, model_folder
from shared_code.amltoolbox.loading import load
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.naming import NamingError, check_dataset_name, check_model_name
from shared_code.amltoolbox.paths import REPO_ROOT, python_name
from shared_code.amltoolbox.pipeline import DATASET_TYPES
from shared_code.devops.release_procedure import PROCEDURE, add_model_row

from .rewrap import MAX_LINE_LENGTH, rewrap_long_lines

TESTING_DIR = "testing"
# The devops tool that writes a model's CI trigger paths from the import graph.
WRITE_TRIGGER_PATHS = "shared_code.devops.trigger_paths:write_trigger_paths"
TRAIN_SCRIPTS = {kind: f"train_{kind}" for kind in DATASET_TYPES}  # the standard's two variants
SINGLE_TRAIN_SCRIPT = "train"
SHOULD_CHANGE = "should-change"
DATA_README = "README.md"
_NEW_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# YAML keys and Python names whose value is a name (registered model, experiment) rather than
# a folder or path.
_NAME_KEYS = (r"(?:name|experiment|modelName|model_name|experimentName|experiment_name|"
              r"MODEL_NAME)")


SAMPLES_DIR = "testing_samples"
STARTER_TEST = "test_model.py"
STARTER_TEXT = '''"""Tests particular to this model: one test_<file>.py per file of it you change.

What every model needs is tested for this one too, by testing/model_kit/ (parametrized over the
model folders): its step declaration, register, the entry script's contract and bad requests,
the pipeline run end to end, its CI/CD files. Test here what is this model's own, such as the
functions of model.py and the metrics that matter for it.
"""
import pytest

from shared_code.amltoolbox.local.workspace import LocalWorkspace

from {folder}.aml_pipeline import CONFIG


@pytest.fixture(name="registered", scope="module")
def fixture_registered({folder}_workspace):
    """Version 1, as the session's one real run of this model's pipeline registered it."""
    workspace = LocalWorkspace({folder}_workspace)
    yield workspace.models.get(CONFIG.model_name, 1)
    workspace.close()


@pytest.mark.integration
def test_the_registered_model_records_its_primary_metric(registered):
    assert isinstance(registered.properties[CONFIG.evaluation.primary_metric], float)
'''


class NewModelError(UserError):
    """The new model cannot be made as asked; nothing was created."""


@dataclass(frozen=True)
class NewModel:
    """What was made."""
    name: str
    folder: Path
    tests: Path
    checklist: list[str]


def check_new_name(name: str) -> str:
    """A model's going name: lower case words joined by '-', e.g. canal-level-forecasting."""
    if not _NEW_NAME.match(name or ""):
        raise NewModelError(f"'{name}' is not a valid model name: use lower case letters and "
                            "digits in words joined by '-', starting with a letter, e.g. "
                            "canal-level-forecasting")
    try:
        check_model_name(name)
    except NamingError as error:
        raise NewModelError(str(error)) from None
    return name


def _renamer(source_folder: str, new_folder: str, old_name: str, new_name: str,
             dataset_names: dict[str, str]):
    """A function that rewrites one file's text for the new model."""
    token = re.compile(rf"(?<![A-Za-z0-9-]){re.escape(source_folder)}(?![A-Za-z0-9])")
    # Azure names that allow no '_' (web services, environments) spell the folder with '-'.
    hyphenated = re.compile(rf"(?<![A-Za-z0-9-]){re.escape(source_folder.replace('_', '-'))}"
                            r"(?=-|\b)")
    named = re.compile(rf"^(\s*-?\s*{_NAME_KEYS}\s*[:=]\s*[\"']?)({re.escape(old_name)})"
                       rf"([\"']?\s*(?:#.*)?)$", re.MULTILINE)
    # name:version (model_a:1, model_a:N) is the registered name, not the folder.
    model_id = re.compile(rf"(?<![A-Za-z0-9-]){re.escape(old_name)}(?=:[0-9N<])")
    title = re.compile(rf"^(#\s+){re.escape(old_name)}\b", re.MULTILINE)

    def rename(text: str, names_values: bool, is_markdown: bool) -> str:
        for old, new in dataset_names.items():
            text = text.replace(old, new)
        if names_values:
            text = named.sub(lambda m: m.group(1) + new_name + m.group(3), text)
        if is_markdown:
            text = title.sub(lambda m: m.group(1) + new_name, text)
        text = model_id.sub(new_name, text)
        text = hyphenated.sub(new_folder.replace("_", "-"), text)
        return token.sub(new_folder, text)
    return rename


def _new_dataset_name(old: str, new_name: str) -> str:
    parts = check_dataset_name(old)
    return f"{parts['modeltype']}-{new_name}-{parts['usage']}-{parts['version']}"


def _rewrite_tree(root: Path, rename) -> None:
    for path in sorted(root.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and other binary files are copied as they are
        new_text = rename(text, path.suffix in (".yml", ".yaml", ".py"), path.suffix == ".md")
        if new_text != text:
            path.write_text(new_text, encoding="utf-8")


def _rename_files(root: Path, source_folder: str, new_folder: str) -> None:
    for path in sorted(root.rglob(f"*{source_folder}*"), key=lambda p: -len(p.parts)):
        path.rename(path.with_name(path.name.replace(source_folder, new_folder)))


def _stage(origin: Path, copy: Path, rename, source_folder: str, new_folder: str,
           generated: tuple[str, ...] = GENERATED) -> Path:
    shutil.copytree(origin, copy, ignore=shutil.ignore_patterns(*generated))
    _rewrite_tree(copy, rename)
    _rename_files(copy, source_folder, new_folder)
    for path in sorted(copy.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        wrapped = rewrap_long_lines(text)
        if wrapped != text:
            path.write_text(wrapped, encoding="utf-8")
    return copy


def _stage_tests(samples: Path, tests: Path, rename, source_folder: str) -> Path:
    """The new model's test folder: the source's samples (requests, tables), renamed, and a
    starter test file. What every model needs is tested by testing/model_kit/ at once."""
    if samples.is_dir():
        # The samples' data/ is tracked test data, not a generated folder.
        _stage(samples, tests / SAMPLES_DIR, rename, source_folder, tests.name,
               tuple(name for name in GENERATED if name != "data"))
    tests.mkdir(parents=True, exist_ok=True)
    (tests / STARTER_TEST).write_text(
        STARTER_TEXT.format(folder=tests.name), encoding="utf-8")
    return tests


def _long_lines(path: Path, lines: list[str], repo_root: Path) -> list[str]:
    """Lines the rename made too long that rewrap_long_lines() could not wrap (code)."""
    if path.suffix != ".py":
        return []
    return [f"{path.relative_to(repo_root)}:{number}: longer than {MAX_LINE_LENGTH} characters "
            "after the rename: rewrap it"
            for number, line in enumerate(lines, start=1) if len(line) > MAX_LINE_LENGTH]


def _make_data_folder(source_dir: Path, copy: Path, rename) -> None:
    """data/ is git-ignored and made by code; only its README is carried over."""
    (copy / "data").mkdir(exist_ok=True)
    readme = source_dir / "data" / DATA_README
    if readme.is_file():
        (copy / "data" / DATA_README).write_text(
            rename(readme.read_text(encoding="utf-8"), False, True), encoding="utf-8")


def checklist(folder: Path, repo_root: Path, done: tuple[str, ...] = ()) -> list[str]:
    """Every line marked should-change in the new folder that still needs the user, and
    every line the rename made too long for pylint, as 'file:line: text'. A line holding one
    of `done` (the new names) was already changed by the rename."""
    items = []
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        items += _long_lines(path, lines, repo_root)
        for number, line in enumerate(lines, start=1):
            if (SHOULD_CHANGE in line and f"`{SHOULD_CHANGE}`" not in line  # not the legend
                    and not any(name in line for name in done)):
                items.append(f"{path.relative_to(repo_root)}:{number}: {line.strip()}")
    return items


def _keep_one_train_script(model_copy: Path, tests_copy: Path, kind: str) -> None:
    """Keep the `kind` training script as train.py (and its test as test_train.py), drop the
    other variant, and point the pipeline and the training dataset at it."""
    kept, dropped = TRAIN_SCRIPTS[kind], TRAIN_SCRIPTS[next(k for k in TRAIN_SCRIPTS if k != kind)]
    layout = ModelLayout(model_copy)
    for folder, prefix in ((layout.script_steps, ""), (tests_copy, "test_")):
        (folder / f"{prefix}{dropped}.py").unlink(missing_ok=True)
        if (folder / f"{prefix}{kept}.py").is_file():
            (folder / f"{prefix}{kept}.py").rename(folder / f"{prefix}{SINGLE_TRAIN_SCRIPT}.py")
    script = re.compile(rf"\b{kept}\b")
    for path in (*model_copy.rglob("*.py"), *tests_copy.rglob("*.py"), *model_copy.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        path.write_text(script.sub(SINGLE_TRAIN_SCRIPT, text), encoding="utf-8")
    pipeline = layout.pipeline.read_text(encoding="utf-8")
    layout.pipeline.write_text(re.sub(r'"train_\w+\.py"', f'"{SINGLE_TRAIN_SCRIPT}.py"',
                                      pipeline, count=1), encoding="utf-8")
    config = layout.model_config.read_text(encoding="utf-8")
    layout.model_config.write_text(re.sub(
        r"(\n  training:\n(?:    .*\n)*?    type: )\w+", rf"\g<1>{kind}", config, count=1),
        encoding="utf-8")


def create_model(name: str, source: str, repo_root: Path = REPO_ROOT,
                 train: str | None = None) -> NewModel:
    """Copy `source` into a new model folder for `name`, renamed throughout, with its tests;
    with `train` ('tabular' or 'file'), keep that training script alone, as train.py."""
    check_new_name(name)
    if train is not None and train not in TRAIN_SCRIPTS:
        raise NewModelError(f"--train is '{train}'; use one of {', '.join(TRAIN_SCRIPTS)}")
    source_dir = model_folder(source, repo_root)
    config = load_model_config(source_dir)
    new_folder = python_name(name)
    targets = [repo_root / new_folder, repo_root / TESTING_DIR / new_folder]
    existing = [str(t.relative_to(repo_root)) for t in targets if t.exists()]
    if existing:
        raise NewModelError(f"{', '.join(existing)} exists already: choose another name, or "
                            "remove it first")
    if importlib.util.find_spec(new_folder) is not None:
        raise NewModelError(f"'{new_folder}' is already the name of a module Python imports "
                            "(a folder of that name would hide it): choose another name")
    if config.model_name == name:
        raise NewModelError(f"{source} already registers the model '{name}': choose another name")
    rename = _renamer(source_dir.name, new_folder, config.model_name, name,
                      {d.name: _new_dataset_name(d.name, name) for d in config.datasets.values()})
    staging = Path(tempfile.mkdtemp(prefix=".new-model-", dir=repo_root))
    moved: list[Path] = []
    try:
        staged = [(_stage(source_dir, staging / "model" / new_folder, rename, source_dir.name,
                          new_folder),
                   targets[0]),
                  (_stage_tests(repo_root / TESTING_DIR / source_dir.name / SAMPLES_DIR,
                                staging / "tests" / new_folder, rename, source_dir.name),
                   targets[1])]
        _make_data_folder(source_dir, staged[0][0], rename)
        if train is not None:
            _keep_one_train_script(staged[0][0], staged[1][0], train)
        load_model_config(staged[0][0])  # the renamed config must hold before anything lands
        for copy, target in staged:
            target.parent.mkdir(parents=True, exist_ok=True)
            copy.rename(target)
            moved.append(target)
        # The new model's CI trigger paths, from the import graph of the repository it joins.
        load(WRITE_TRIGGER_PATHS)(repo_root, new_folder)
        named = add_model_row(repo_root, source_dir.name, lambda row: rename(row, False, True))
    except BaseException:
        for target in moved:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    done = (name, new_folder, new_folder.replace("_", "-"))
    unnamed = [] if named else [f"{PROCEDURE}: add a row for {new_folder} to the table of "
                                f"names ({source_dir.name} has none to copy)"]
    return NewModel(name, targets[0], targets[1], checklist(targets[0], repo_root, done)
                    + checklist(targets[1], repo_root, done) + unnamed)
