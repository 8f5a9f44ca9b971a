"""The local workspace's Registry: the champion is the latest version, registrations atomic,
made only for a live run."""
import dataclasses
import os
from pathlib import Path

import pytest
from testing_helpers import record_live_run

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local.models import MODELS_DIR
from shared_code.amltoolbox.local.registry import LocalRegistry
from shared_code.amltoolbox.local.runner_identity import PID, PID_STARTED, runner_identity
from shared_code.amltoolbox.local.runs import RunEndedError
from shared_code.amltoolbox.promotion.registry import (ChampionChangedError,
                                                       RegistrationRequest)
from shared_code.amltoolbox.records import FAILED


def _artifact(folder: Path, content: str) -> Path:
    folder.mkdir(parents=True)
    (folder / "model.pkl").write_text(content, encoding="utf-8")
    return folder


@pytest.fixture(name="registry")
def fixture_registry(workspace):
    record_live_run(workspace, "r")
    return LocalRegistry(workspace.models)


def _request(folder: Path, expected=None) -> RegistrationRequest:
    return RegistrationRequest(name="model_x", model_dir=folder, sha256=tree_sha256(folder),
                               description="d", tags={"t": "1"}, properties={"p": 1},
                               lineage={"pipeline_run_id": "r"}, run_id="r",
                               expected_champion=expected)


def test_there_is_no_champion_before_the_first_registration(registry):
    assert registry.find_champion("model_x") is None


def test_the_champion_is_the_latest_version_with_its_files(registry, tmp_path):
    registry.register(_request(_artifact(tmp_path / "a", "1")))
    registry.register(_request(_artifact(tmp_path / "b", "2"), expected="model_x:1"))
    found = registry.find_champion("model_x")
    assert (found.id, found.sha256) == ("model_x:2", tree_sha256(tmp_path / "b"))
    assert (found.path / "model.pkl").read_text(encoding="utf-8") == "2"


def test_a_registration_records_what_the_request_says(registry, workspace, tmp_path):
    registration = registry.register(_request(_artifact(tmp_path / "a", "1")))
    assert (registration.model_id, registration.new) == ("model_x:1", True)
    record = workspace.models.get("model_x", 1)
    assert (record.description, record.tags, record.properties, record.run_id) == (
        "d", {"t": "1"}, {"p": 1}, "r")


def test_the_same_files_are_not_registered_twice(registry, tmp_path):
    folder = _artifact(tmp_path / "a", "1")
    registry.register(_request(folder))
    again = registry.register(_request(folder, expected="model_x:1"))
    assert (again.model_id, again.new) == ("model_x:1", False)


def test_a_champion_changed_since_evaluation_blocks_the_registration(registry, workspace,
                                                                     tmp_path):
    registry.register(_request(_artifact(tmp_path / "a", "1")))
    with pytest.raises(ChampionChangedError, match="it was none, it is now model_x:1"):
        registry.register(_request(_artifact(tmp_path / "b", "2"), expected=None))
    assert [m.version for m in workspace.models.list()] == [1]


@pytest.mark.parametrize("owner, ended, reason", [
    ({PID: os.getpid(), PID_STARTED: "a process that has ended"}, None, "runner of run r2"),
    ({}, None, "runner of run r2"),
    (None, FAILED, r"has ended \(Failed\)"),
])
def test_a_step_whose_run_or_runner_has_ended_registers_nothing(registry, workspace, tmp_path,
                                                                 owner, ended, reason):
    workspace.runs.start_run("model_x", "exp", owner if owner is not None else runner_identity(),
                             run_id="r2")
    if ended:
        workspace.runs.end_run("r2", ended, "interrupted")
    request = dataclasses.replace(_request(_artifact(tmp_path / "a", "1")), run_id="r2")
    with pytest.raises(RunEndedError, match=reason):
        registry.register(request)
    assert workspace.models.list() == []
    assert [p.name for p in (workspace.root / MODELS_DIR / "model_x").iterdir()] == []


def test_a_registration_for_a_run_the_workspace_never_recorded_is_refused(registry, workspace,
                                                                          tmp_path):
    request = dataclasses.replace(_request(_artifact(tmp_path / "a", "1")), run_id="elsewhere")
    with pytest.raises(RunEndedError, match="run elsewhere is not recorded"):
        registry.register(request)
    assert workspace.models.list() == []


def test_a_dataset_registered_for_a_dead_run_is_not_registered(workspace, tmp_path):
    workspace.runs.start_run("model_x", "exp", {PID: os.getpid(), PID_STARTED: "ended"},
                             run_id="dead")
    data = tmp_path / "data.csv"
    data.write_text("x\n1\n", encoding="utf-8")
    with pytest.raises(RunEndedError, match="runner of run dead"):
        workspace.datasets.register("regression-x-training-01", "tabular", data, "d",
                                    run_id="dead")
    assert workspace.datasets.list() == []
    record_live_run(workspace, "live")
    record, _ = workspace.datasets.register("regression-x-training-01", "tabular", data, "d",
                                            run_id="live")
    assert record.run_id == "live"


@pytest.mark.parametrize("damage", ["delete", "change"])
def test_a_champion_whose_files_are_damaged_is_found_with_its_problem(registry, tmp_path,
                                                                      damage):
    registry.register(_request(_artifact(tmp_path / "a", "1")))
    registered = registry.find_champion("model_x").path / "model.pkl"
    if damage == "delete":
        registered.unlink()
    else:
        registered.write_text("changed", encoding="utf-8")
    found = registry.find_champion("model_x")
    assert found.id == "model_x:1" and "model model_x:1's" in found.problem


def test_registering_the_same_files_again_restores_a_damaged_version(registry, workspace,
                                                                     tmp_path):
    folder = _artifact(tmp_path / "a", "1")
    registry.register(_request(folder))
    (workspace.models.get("model_x", 1).path / "model.pkl").unlink()
    again = registry.register(_request(folder, expected="model_x:1"))
    assert (again.model_id, again.new) == ("model_x:1", False)
    assert registry.find_champion("model_x").problem is None
    assert [p.name for p in (workspace.root / MODELS_DIR / "model_x").iterdir()] == ["1"]
