"""The local model registry: versions, checksums, atomic and concurrent registration."""
import multiprocessing
import os
from pathlib import Path
from unittest import mock

import pytest
from process_helpers import PATIENCE_SECONDS
from testing_helpers import record_live_run

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local.models import (MODELS_DIR, ChampionChangedError, LocalModels,
                                                ModelNotFoundError)
from shared_code.amltoolbox.local.store import Store
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.naming import NamingError

# fork: the children share the test module as it is, and start in milliseconds.
_FORK = multiprocessing.get_context("fork")


def make_artifact(folder: Path, content: str) -> Path:
    """A model folder with one model file."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "model.pkl").write_text(content, encoding="utf-8")
    return folder


def test_the_first_registration_is_version_1_with_everything_recorded(workspace, tmp_path):
    artifact = make_artifact(tmp_path / "model", "one")
    record, new = workspace.models.register(
        "model_x", artifact, "a model", {"t": "1"}, {"rmse": 1.5}, {"training_data": "d:1"},
        run_id=record_live_run(workspace, "run_1"))
    assert new and record.id == "model_x:1"
    assert record.sha256 == tree_sha256(artifact)
    assert (record.description, record.tags, record.properties, record.lineage, record.run_id) == (
        "a model", {"t": "1"}, {"rmse": 1.5}, {"training_data": "d:1"}, "run_1")
    assert record.path == workspace.root / MODELS_DIR / "model_x" / "1"
    assert (record.path / "model.pkl").read_text(encoding="utf-8") == "one"
    assert set(record.as_dict()) >= {"name", "version", "sha256", "tags", "created"}


def test_a_single_file_is_registered_inside_its_version_folder(workspace, tmp_path):
    artifact = make_artifact(tmp_path / "model", "one") / "model.pkl"
    record, _ = workspace.models.register("model_x", artifact)
    assert (record.path / "model.pkl").is_file()


def test_the_same_sha256_is_never_registered_twice(workspace, tmp_path):
    first, _ = workspace.models.register("model_x", make_artifact(tmp_path / "a", "one"))
    again, new = workspace.models.register("model_x", make_artifact(tmp_path / "b", "one"))
    assert (again.id, new) == (first.id, False)
    assert [m.version for m in workspace.models.list("model_x")] == [1]


def test_the_same_sha256_may_be_registered_under_another_name(workspace, tmp_path):
    artifact = make_artifact(tmp_path / "a", "one")
    workspace.models.register("model_x", artifact)
    record, new = workspace.models.register("model_y", artifact)
    assert (record.id, new) == ("model_y:1", True)


def test_versions_count_up_and_latest_get_and_list_agree(workspace, tmp_path):
    for index in range(3):
        workspace.models.register("model_x", make_artifact(tmp_path / str(index), str(index)))
    workspace.models.register("model_y", make_artifact(tmp_path / "y", "y"))
    assert workspace.models.latest("model_x").version == 3
    assert workspace.models.get("model_x").version == 3
    assert (workspace.models.get("model_x", 2).path / "model.pkl").read_text(
        encoding="utf-8") == "1"
    assert [m.id for m in workspace.models.list()] == [
        "model_x:1", "model_x:2", "model_x:3", "model_y:1"]
    assert workspace.models.latest("model_z") is None


def test_an_unknown_model_says_how_to_make_one(workspace):
    with pytest.raises(ModelNotFoundError, match="no model 'model_x'.*run its pipeline first"):
        workspace.models.get("model_x")


def test_an_unknown_version_lists_the_registered_ones(workspace, tmp_path):
    workspace.models.register("model_x", make_artifact(tmp_path / "a", "one"))
    with pytest.raises(ModelNotFoundError, match="no version 4 of model 'model_x'.*versions: 1"):
        workspace.models.get("model_x", 4)


def test_a_missing_artifact_or_a_bad_name_registers_nothing(workspace, tmp_path):
    with pytest.raises(FileNotFoundError, match="does not exist"):
        workspace.models.register("model_x", tmp_path / "nothing")
    with pytest.raises(NamingError):
        workspace.models.register("model x", make_artifact(tmp_path / "a", "one"))
    assert workspace.models.list() == []


def _register_in_child(root: str, artifact: str, barrier, results) -> None:
    barrier.wait()  # every child registers at the same moment
    try:
        record, new = LocalWorkspace(Path(root)).models.register("model_x", Path(artifact))
        results.put((record.version, record.sha256, new))
    except Exception as error:  # pylint: disable=broad-exception-caught
        results.put(f"{type(error).__name__}: {error}")  # the parent's assertion shows it


def register_at_once(root: Path, artifacts: list[Path]) -> list[tuple[int, str, bool]]:
    """(version, sha256, new) of each artifact, registered by its own process at once."""
    barrier, results = _FORK.Barrier(len(artifacts)), _FORK.Queue()
    children = [_FORK.Process(target=_register_in_child,
                              args=(str(root), str(artifact), barrier, results))
                for artifact in artifacts]
    for child in children:
        child.start()
    outcomes = [results.get(timeout=PATIENCE_SECONDS) for _ in children]
    for child in children:
        child.join(timeout=60)
    errors = [outcome for outcome in outcomes if isinstance(outcome, str)]
    assert not errors, errors
    return outcomes


def test_concurrent_registrations_from_separate_processes_get_distinct_gapless_versions(
        workspace, tmp_path):
    count = 6
    artifacts = [make_artifact(tmp_path / f"model{i}", f"model {i}") for i in range(count)]
    outcomes = register_at_once(workspace.root, artifacts)
    assert sorted(version for version, _, _ in outcomes) == list(range(1, count + 1))
    assert all(new for _, _, new in outcomes)
    assert {sha for _, sha, _ in outcomes} == {tree_sha256(a) for a in artifacts}
    for record in workspace.models.list("model_x"):  # each version holds its own artifact
        assert tree_sha256(record.path) == record.sha256


def test_concurrent_registrations_of_one_artifact_make_one_version(workspace, tmp_path):
    count = 3
    outcomes = register_at_once(workspace.root, [make_artifact(tmp_path / "model", "same")] * count)
    assert sorted(new for _, _, new in outcomes) == [False] * (count - 1) + [True]
    assert {version for version, _, _ in outcomes} == {1}


def _die(*_args, **_kwargs):
    os._exit(9)  # like a kill: no cleanup, no rollback but the one SQLite does itself


def _rename_then_die(self, target):
    os.rename(self, target)
    _die()


def _register_and_die(root: str, artifact: str, kill_point: str) -> None:
    patches = {"staged": mock.patch.object(Store, "transaction", _die),
               "moved": mock.patch.object(Path, "rename", _rename_then_die)}
    with patches[kill_point]:
        LocalWorkspace(Path(root)).models.register("model_x", Path(artifact))


@pytest.mark.parametrize("kill_point, leaves_folder", [("staged", False), ("moved", True)])
def test_a_registration_killed_before_its_commit_leaves_no_record_and_the_next_succeeds(
        workspace, tmp_path, kill_point, leaves_folder):
    artifact = make_artifact(tmp_path / "model", "one")
    child = _FORK.Process(target=_register_and_die,
                          args=(str(workspace.root), str(artifact), kill_point))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 9
    assert workspace.models.list() == []
    assert (workspace.root / MODELS_DIR / "model_x" / "1").exists() == leaves_folder
    record, new = workspace.models.register("model_x", artifact)
    assert (record.id, new) == ("model_x:1", True)
    assert sorted(p.name for p in record.path.iterdir()) == ["model.pkl"]
    assert tree_sha256(record.path) == record.sha256


def test_a_registration_against_a_stale_champion_registers_nothing(tmp_path):
    models = LocalModels(Store(tmp_path / "workspace"))
    first, second = tmp_path / "first.pkl", tmp_path / "second.pkl"
    first.write_bytes(b"1")
    second.write_bytes(b"2")
    assert models.register("m", first, expected_champion=None)[0].version == 1
    with pytest.raises(ChampionChangedError, match="it was none, it is now m:1"):
        models.register("m", second, expected_champion=None)
    assert models.register("m", second, expected_champion="m:1")[0].version == 2
    assert not [p for p in (tmp_path / "workspace" / "models" / "m").iterdir()
                if p.name.startswith(".staging")]
