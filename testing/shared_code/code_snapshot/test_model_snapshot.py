"""A snapshot per model: what it holds, and that Azure ML's own fingerprint of a step (the
SDK's _ModuleBuilder.calculate_hash) moves only with what the model's steps use."""
import pytest
from snapshot_helpers import copy_snapshot_sources

from shared_code.amltoolbox.layout import ModelLayout
from shared_code.code_snapshot.model_snapshot import snapshot_files, stage_snapshot
from shared_code.amltoolbox.pipeline import load_pipeline

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
SCRIPTS = {step.script_name for step in load_pipeline("model_a")[1]}


@pytest.fixture(name="repo")
def fixture_repo(tmp_path):
    """A copy of the repository's models, shared code, README and .amlignore, with a test
    file and some data."""
    repo = copy_snapshot_sources(tmp_path / "repo")
    (repo / "model_a" / "data" / "training").mkdir(parents=True)
    (repo / "model_a" / "data" / "training" / "train.csv").write_text("a\n1\n", encoding="utf-8")
    return repo


def _excluded(repo):
    from azureml._project.ignore_file import get_project_ignore_file
    excluded = get_project_ignore_file(str(repo)).is_file_excluded
    return lambda path: excluded(str(path))


def _fingerprint(repo, tmp_path) -> str:
    """model_a's evaluate step's fingerprint, as the SDK computes it from its snapshot."""
    from azureml.pipeline.core._module_builder import _ModuleBuilder
    from azureml.pipeline.core.graph import ModuleDef
    snapshot = stage_snapshot(ModelLayout(repo / "model_a"), SCRIPTS, _excluded(repo), repo,
                              parent=tmp_path / "snapshots")
    return _ModuleBuilder.calculate_hash(ModuleDef("evaluate"), str(snapshot))


def test_the_snapshot_holds_the_model_the_shared_code_it_imports_and_the_amlignore(repo):
    files = snapshot_files(ModelLayout(repo / "model_a"), SCRIPTS, _excluded(repo), repo)
    assert {path.split("/")[0] for path in files} == {"model_a", "shared_code", ".amlignore"}
    assert "model_a/config/model_config.yml" in files and "model_a/model.py" in files
    assert "shared_code/amltoolbox/promotion/summary.py" in files
    assert "shared_code/aml_studio/app.py" not in files  # not imported by the steps
    assert "shared_code/amltoolbox/cli/main.py" not in files
    assert not [path for path in files if "/data/" in path or "__pycache__" in path]


@pytest.mark.parametrize("edited, changes", [
    ("model_b/model.py", False),
    ("README.md", False),
    ("testing/test_x.py", False),
    ("shared_code/aml_studio/app.py", False),
    ("shared_code/amltoolbox/cli/main.py", False),
    ("model_a/data/training/train.csv", False),  # .amlignore: data reaches steps as datasets
    ("model_a/script_steps/evaluate.py", True),
    ("model_a/config/model_config.yml", True),
    ("shared_code/amltoolbox/promotion/summary.py", True),
])
def test_the_sdks_fingerprint_moves_only_with_what_the_models_steps_use(repo, tmp_path, edited,
                                                                        changes):
    before = _fingerprint(repo, tmp_path)
    with open(repo / edited, "a", encoding="utf-8") as file:
        file.write("\n# edited\n")
    assert (_fingerprint(repo, tmp_path) != before) is changes


def test_the_same_content_is_staged_once_and_a_new_content_beside_it(repo, tmp_path):
    layout, excluded = ModelLayout(repo / "model_a"), _excluded(repo)
    first = stage_snapshot(layout, SCRIPTS, excluded, repo, parent=tmp_path / "s")
    assert stage_snapshot(layout, SCRIPTS, excluded, repo, parent=tmp_path / "s") == first
    (repo / "model_a" / "model.py").write_text("changed\n", encoding="utf-8")
    second = stage_snapshot(layout, SCRIPTS, excluded, repo, parent=tmp_path / "s")
    assert second != first and first.is_dir()
    assert (second / "model_a" / "model.py").read_text(encoding="utf-8") == "changed\n"
    staged = sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert staged == snapshot_files(layout, SCRIPTS, excluded, repo)


def test_a_negated_pattern_makes_excluded_folders_walked(repo):
    (repo / ".amlignore").write_text("**/data/\n!**/data/keep.txt\n", encoding="utf-8")
    (repo / "model_a" / "data" / "keep.txt").write_text("k", encoding="utf-8")
    files = snapshot_files(ModelLayout(repo / "model_a"), SCRIPTS, _excluded(repo), repo)
    assert "model_a/data/keep.txt" in files and "model_a/data/training/train.csv" not in files
