"""Azure ML's reuse of each step, predicted before submission with the SDK's own fingerprint,
against the last submission recorded on this machine."""
import copy

import pytest

from shared_code.aml_sdk_v1 import pipeline_submission
from shared_code.aml_sdk_v1.pipeline_builder import build_pipeline
from shared_code.aml_sdk_v1.reuse_prediction import (ReuseExpectationError, predict,
                                                           predicted_parts, require_reuse)
from shared_code.aml_sdk_v1.submission_records import SUBMITTED, SubmissionRecords
from shared_code.amltoolbox.local.workspace import LocalWorkspace

pytestmark = pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
NEVER = "will rerun: allow_reuse is off for this step"


@pytest.fixture(name="parts")
def fixture_parts(model_a, workspace):
    """model_a's steps' key parts, from its pipeline built offline."""
    return predicted_parts(build_pipeline(workspace, *model_a))


@pytest.fixture(name="experiment")
def fixture_experiment(mocker):
    """Experiment, mocked: each submission returns a run with a new id."""
    experiment = mocker.patch.object(pipeline_submission, "Experiment")
    ids = iter(f"run-{n}" for n in range(1, 10))
    experiment.return_value.submit.side_effect = lambda *args, **kwargs: mocker.Mock(
        id=next(ids))
    return experiment


def test_each_steps_fingerprint_is_the_sdks_own(model_a, workspace, parts):
    pipeline = build_pipeline(workspace, *model_a)
    for node in pipeline.graph.module_nodes:
        assert parts[node.name]["fingerprint"] == node._module_builder.get_fingerprint()  # pylint: disable=protected-access
    assert "model_a/script_steps/evaluate.py" in parts["evaluate"]["snapshot"]
    assert not [path for path in parts["train"]["snapshot"] if path.startswith("model_b/")]
    assert parts["evaluate"]["inputs"]["model"] == {"step": "train", "output": "model",
                                                    "key": parts["train"]["key"]}


def test_without_an_earlier_submission_every_step_will_run(parts):
    reasons = [p.reason for p in predict(parts, None, regenerate_outputs=False)]
    assert reasons == ["will rerun: no earlier submission of this step is recorded on this "
                       "machine", NEVER, NEVER]


def test_an_unchanged_step_will_be_reused_from_the_last_submission(parts):
    predictions = predict(parts, {"run_id": "run-1", "steps": parts}, regenerate_outputs=False)
    assert predictions[0].reuse
    assert predictions[0].reason == "Azure ML will reuse this step's last run (submitted run-1)"
    require_reuse(predictions)  # evaluate and register never reuse: not expected to


def test_no_reuse_reruns_every_step(parts):
    predictions = predict(parts, {"run_id": "run-1", "steps": parts}, regenerate_outputs=True)
    assert predictions[0].reason == ("will rerun: --no-reuse (regenerate_outputs) reruns every "
                                     "step")


@pytest.mark.parametrize("change, expected", [
    (lambda p: p["snapshot"].update({"model_a/model.py": "0" * 64}),
     ["snapshot file model_a/model.py changed"]),
    (lambda p: p["snapshot"].pop("model_a/model.py"), ["snapshot file model_a/model.py added"]),
    (lambda p: p["inputs"]["train_data"].update(version=0),
     ["input train_data: dataset regression-diabetes-training-01:0 -> "
      "regression-diabetes-training-01:1"]),
    (lambda p: p.update(environment="0"), ["its run configuration (environment) changed"]),
    (lambda p: p.update(arguments=["--old"]), ["arguments: ['--old'] -> []"]),
])
def test_a_step_that_will_rerun_says_what_changed(parts, change, expected):
    before = copy.deepcopy(parts)
    change(before["train"])
    before["train"]["key"] = "an older key"
    train = predict(parts, {"run_id": "run-1", "steps": before}, regenerate_outputs=False)[0]
    assert not train.reuse and train.changes == expected
    with pytest.raises(ReuseExpectationError, match="nothing was submitted.*train"):
        require_reuse([train])


def test_a_step_after_one_that_reruns_reruns_too():
    def step(inputs, key):
        return {"allow_reuse": True, "snapshot": {}, "script": "s.py", "arguments": [],
                "environment": "e", "definition": "d", "inputs": inputs, "key": key}
    now = {"a": step({}, "a2"), "b": step({"in": {"step": "a", "output": "o", "key": "a2"}}, "b2")}
    before = {"a": step({}, "a1"), "b": step({"in": {"step": "a", "output": "o", "key": "a1"}},
                                             "b1")}
    predictions = predict(now, {"run_id": "r", "steps": before}, regenerate_outputs=False)
    assert predictions[1].changes == ["input in: output of a, which will rerun"]


def test_submissions_are_recorded_and_predicted_against(model_a, workspace, experiment, capsys):
    check = pipeline_submission.ReuseCheck(explain=True)
    pipeline_submission.run_pipeline(*model_a, "model_a", workspace, reuse_check=check)
    assert "train: will rerun: no earlier submission" in capsys.readouterr().out
    pipeline_submission.run_pipeline(*model_a, "model_a", workspace,
                                     reuse_check=pipeline_submission.ReuseCheck(True, True))
    out = capsys.readouterr().out
    assert "train: Azure ML will reuse this step's last run (submitted run-1)" in out
    records = SubmissionRecords(LocalWorkspace().store)
    assert records.last("model_a", SUBMITTED)["run_id"] == "run-2"
    assert experiment.return_value.submit.call_count == 2


def test_expect_reuse_submits_nothing_when_a_step_would_rerun(model_a, workspace, experiment):
    check = pipeline_submission.ReuseCheck(expect_reuse=True)
    with pytest.raises(ReuseExpectationError, match="train"):
        pipeline_submission.run_pipeline(*model_a, "model_a", workspace, reuse_check=check)
    experiment.return_value.submit.assert_not_called()
    assert SubmissionRecords(LocalWorkspace().store).last("model_a") is None
