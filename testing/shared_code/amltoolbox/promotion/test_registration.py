"""register obeys summary.json, records lineage, and never registers the same model twice."""
import json

import pytest
from testing_helpers import local_registry, make_local_run

from shared_code.amltoolbox.git_info import GIT_COMMIT, GIT_DIRTY
from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.model_io import INFO_FILE, MODEL_FILE
from shared_code.amltoolbox.promotion.registration import (NOT_REGISTERED_TAG, REGISTERED_TAG,
                                                           model_lineage,
                                                           register_from_summary)
from shared_code.amltoolbox.promotion.summary import NO_REASON, SUMMARY_FILE, SummaryError

TRAINING = {"train_data": "regression-diabetes-training-01:2"}
TESTING = {"test_data": "regression-diabetes-testing-01:1"}
GIT = {GIT_COMMIT: "0123abc", GIT_DIRTY: "False"}


@pytest.fixture(name="config")
def fixture_config():
    return load_pipeline("model_a")[0]


@pytest.fixture(name="run")
def fixture_run(tmp_path, mocker):
    run = make_local_run(tmp_path, step="register")
    mocker.patch.object(run, "get_properties", return_value=dict(GIT))
    mocker.spy(run, "tag")
    yield run
    run.workspace.close()


@pytest.fixture(name="model_dir")
def fixture_model_dir(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / MODEL_FILE).write_bytes(b"model bytes")
    (folder / INFO_FILE).write_text(json.dumps({"training_data": TRAINING}), encoding="utf-8")
    return folder


def write_summary(folder, register: bool, reason="because") -> None:
    """evaluate's summary.json, saying `register`."""
    folder.mkdir(exist_ok=True)
    (folder / SUMMARY_FILE).write_text(json.dumps({
        "register_trained_model": register, "reason": reason, "primary_metric": "rmse",
        "metrics": {"rmse": 50.5, "r2": 0.4, "note": "text"}, "test_data": TESTING}),
        encoding="utf-8")


def register_locally(run, config, model_dir, score_dir):
    """register_from_summary into the run's local workspace."""
    return register_from_summary(run, config.identity, model_dir, score_dir,
                                 local_registry(run))


def _tags(run) -> dict:
    return {call.args[0]: call.args[1] for call in run.tag.call_args_list}


def test_a_summary_saying_no_registers_nothing_and_tags_why(config, run, model_dir, tmp_path):
    write_summary(tmp_path / "score", False, "rmse 60 does not beat the champion")
    assert register_locally(run, config, model_dir, tmp_path / "score") is None
    assert run.workspace.models.list() == []
    assert _tags(run) == {NOT_REGISTERED_TAG: "rmse 60 does not beat the champion"}


def test_a_summary_saying_yes_registers_with_lineage_tags_and_properties(
        config, run, model_dir, tmp_path):
    write_summary(tmp_path / "score", True)
    assert register_locally(run, config, model_dir, tmp_path / "score") == "model_a:1"
    record = run.workspace.models.get("model_a")
    assert record.lineage == {"training_data": TRAINING, "testing_data": TESTING,
                              "pipeline_run_id": "test_run", **GIT}
    assert record.run_id == "test_run"
    assert record.sha256 == tree_sha256(model_dir)
    assert record.properties == {"rmse": 50.5, "r2": 0.4, "sha256": record.sha256}
    assert record.tags == {**config.tags, "rmse": "50.5"}
    assert record.description == config.description
    assert _tags(run) == {REGISTERED_TAG: "model_a:1"}


def test_the_same_model_is_never_registered_twice(config, run, model_dir, tmp_path):
    write_summary(tmp_path / "score", True)
    register_locally(run, config, model_dir, tmp_path / "score")
    assert register_locally(run, config, model_dir, tmp_path / "score") is None
    assert [m.version for m in run.workspace.models.list()] == [1]
    assert "registered already as model_a:1" in _tags(run)[NOT_REGISTERED_TAG]


def test_without_a_summary_nothing_is_registered(config, run, model_dir, tmp_path):
    with pytest.raises(SummaryError, match="does not exist"):
        register_locally(run, config, model_dir, tmp_path / "no_score")
    assert run.workspace.models.list() == []


def test_lineage_without_model_info_has_no_training_data(run, tmp_path):
    (tmp_path / "bare").mkdir()
    (tmp_path / "bare" / MODEL_FILE).write_bytes(b"m")
    lineage = model_lineage(run, tmp_path / "bare", {"test_data": TESTING})
    assert lineage["training_data"] == {} and lineage["testing_data"] == TESTING


def _summary_with(folder, **fields) -> None:
    write_summary(folder, True)
    summary = json.loads((folder / SUMMARY_FILE).read_text(encoding="utf-8"))
    (folder / SUMMARY_FILE).write_text(json.dumps({**summary, **fields}), encoding="utf-8")


def test_a_model_other_than_the_one_evaluated_is_refused(config, run, model_dir, tmp_path):
    _summary_with(tmp_path / "score", trained_model_sha256="f" * 64)
    with pytest.raises(SummaryError, match="is not the one evaluate scored"):
        register_locally(run, config, model_dir, tmp_path / "score")
    assert run.workspace.models.list() == []


def test_a_champion_registered_since_evaluation_blocks_the_registration(config, run, model_dir,
                                                                        tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / MODEL_FILE).write_bytes(b"registered meanwhile by another run")
    run.workspace.models.register(config.model_name, other)
    _summary_with(tmp_path / "score", trained_model_sha256=tree_sha256(model_dir), champion=None)
    assert register_locally(run, config, model_dir, tmp_path / "score") is None
    assert "the champion changed since evaluation" in _tags(run)[NOT_REGISTERED_TAG]
    assert [m.version for m in run.workspace.models.list()] == [1]


def _flag_only(folder, register: bool) -> None:
    """The standard's summary.json: register_trained_model and nothing else."""
    folder.mkdir(exist_ok=True)
    (folder / SUMMARY_FILE).write_text(json.dumps({"register_trained_model": register}),
                                       encoding="utf-8")


def test_a_summary_with_only_the_flag_saying_no_says_it_gives_no_reason(config, run, model_dir,
                                                                       tmp_path, capsys):
    _flag_only(tmp_path / "score", False)
    assert register_locally(run, config, model_dir, tmp_path / "score") is None
    assert _tags(run) == {NOT_REGISTERED_TAG: NO_REASON}
    assert capsys.readouterr().out == "not registered: summary.json gives no reason\n"


def test_a_summary_with_only_the_flag_registers_each_new_model_saying_what_it_lacked(
        config, run, tmp_path, capsys):
    for version, content in ((1, b"first"), (2, b"second")):
        model = tmp_path / f"model{version}"
        model.mkdir()
        (model / MODEL_FILE).write_bytes(content)  # the standard's pickle alone
        _flag_only(tmp_path / "score", True)
        assert register_locally(run, config, model, tmp_path / "score") == f"model_a:{version}"
    record = run.workspace.models.get("model_a")
    assert record.tags == config.tags and record.properties == {"sha256": record.sha256}
    assert record.lineage == {"training_data": {}, "testing_data": {},
                              "pipeline_run_id": "test_run", **GIT}
    out = capsys.readouterr().out
    assert "registered model_a:2: summary.json gives no reason" in out
    for lacking in ("no metric tag: summary.json gives no primary_metric",
                    "no champion check: summary.json does not say which champion",
                    f"no training data in the lineage: {model}/{INFO_FILE} (optional",
                    "no testing data in the lineage: summary.json (evaluate's)"):
        assert lacking in out
