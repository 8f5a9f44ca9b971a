"""A model folder runs its own code, or nothing: a hand copy that still imports its source's
package, and a folder whose name Python cannot import, are refused before anything runs."""
import shutil

import pytest
from testing_helpers import declared_script, import_line

from shared_code.amltoolbox.layout import (MisnamedModelFolderError, misnamed_model_folders,
                                           model_folder, model_folders)
from shared_code.amltoolbox.model_config import ModelConfigError, load_model_config
from shared_code.amltoolbox.own_code import ForeignCodeError, check_own_code, foreign_imports
from shared_code.amltoolbox.paths import REPO_ROOT

COPY = "canal_level_forecasting"
# model_a's training script, by the name its declaration gives it (a rename is one edit).
TRAIN = declared_script("model_a", "train")
TRAIN_IMPORT_LINE = import_line("model_a", TRAIN)
EVALUATE_IMPORT_LINE = import_line("model_a", "evaluate.py")



def hand_copy(repo, name: str, fix_config: bool = True):
    """`cp -r model_a <name>` (no data), with its config's folder and its model name edited as
    the refusal of an unedited copy asks, but not its imports."""
    folder = shutil.copytree(REPO_ROOT / "model_a", repo / name,
                             ignore=shutil.ignore_patterns("data", "__pycache__"))
    if fix_config:
        config = folder / "config" / "model_config.yml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            "folder: model_a ", f"folder: {name} "), encoding="utf-8")
        register = folder / "script_steps" / "register.py"
        register.write_text(register.read_text(encoding="utf-8").replace(
            'MODEL_NAME = "model_a"', f'MODEL_NAME = "{name}"'), encoding="utf-8")
    return folder


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A repository with model_a in it."""
    shutil.copytree(REPO_ROOT / "model_a", tmp_path / "model_a",
                    ignore=shutil.ignore_patterns("data", "__pycache__"))
    return tmp_path


def test_a_hand_copy_importing_its_sources_package_is_refused_naming_file_import_and_fix(repo):
    folder = hand_copy(repo, COPY)
    found = foreign_imports(folder)
    assert {(item.file.relative_to(repo).as_posix(), item.module) for item in found} >= {
        (f"{COPY}/script_steps/{TRAIN}", "model_a.model"),
        (f"{COPY}/script_steps/evaluate.py", "model_a.model")}
    with pytest.raises(ForeignCodeError) as refused:
        check_own_code(folder)
    message = str(refused.value)
    assert f"{COPY}/script_steps/{TRAIN}:{TRAIN_IMPORT_LINE} imports model_a.model: import " \
           f"{COPY}.model instead" in message
    assert "would run model_a's model, not its own; nothing was run" in message
    assert "new-model NAME --from model_a" in message


def test_an_unedited_hand_copy_is_told_its_config_and_its_imports(repo):
    folder = hand_copy(repo, COPY, fix_config=False)
    with pytest.raises(ModelConfigError) as refused:
        load_model_config(folder)
    assert "belongs to the model folder 'model_a'" in str(refused.value)
    assert f"{COPY}/script_steps/evaluate.py:{EVALUATE_IMPORT_LINE} imports model_a.model" in \
        str(refused.value)


def test_the_source_itself_and_a_folder_with_its_own_imports_are_accepted(repo):
    check_own_code(repo / "model_a")
    folder = hand_copy(repo, COPY)
    for path in folder.rglob("*.py"):
        path.write_text(path.read_text(encoding="utf-8").replace("model_a.", f"{COPY}."),
                        encoding="utf-8")
    check_own_code(folder)


def test_a_hyphenated_folder_is_noticed_and_refused_in_one_line(repo):
    hyphenated = hand_copy(repo, "canal-level-forecasting")
    assert model_folders(repo) == [repo / "model_a"]
    assert misnamed_model_folders(repo) == [hyphenated]
    expected = ("canal-level-forecasting/ is not a valid model folder name (Python imports a "
                "model folder as a package, and a package name cannot hold '-'): make it with "
                "`python -m shared_code.amltoolbox new-model canal-level-forecasting --from "
                "MODEL`, which creates canal_level_forecasting/, or rename the folder "
                "canal_level_forecasting/")
    for refuse in (lambda: model_folder("canal-level-forecasting", repo),
                   lambda: check_own_code(hyphenated)):
        with pytest.raises(MisnamedModelFolderError) as refused:
            refuse()
        assert str(refused.value) == expected
