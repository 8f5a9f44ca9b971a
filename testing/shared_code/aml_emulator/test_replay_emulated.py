"""`replay RUN_ID STEP [--debug]` of a run made under the Azure ML emulator: one step again, on
the saved datasets, arguments and registry its job had, as a new pipeline run linked to the
original, which is only read; for each reference model (testing/reference_models.py)."""
import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from reference_models import reference_models
from testing_helpers import run_cli

from shared_code.aml_emulator.job import StepJob
from shared_code.aml_emulator.pipeline_runner import EmulatedPipelineRunner
from shared_code.aml_emulator.replay import EmulatedReplayError, replay_emulated_step, step_runs
from shared_code.aml_emulator.run_history import PIPELINE_RUN_TYPE
from shared_code.aml_emulator.store import DATASETS, RUNS, emulated_workspace_dir
from shared_code.amltoolbox.local.explain import REPLAY_OF, REPLAYED_STEP
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.promotion.summary import SUMMARY_FILE
from shared_code.amltoolbox.records import COMPLETED

pytestmark = [pytest.mark.integration,
              pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")]

MODELS = reference_models()


@pytest.fixture(name="emulated", scope="module", params=MODELS)
def fixture_emulated(request, tmp_path_factory):
    """A model's pipeline run once under the emulator (it registers version 1 after evaluate
    compared with no champion)."""
    root = tmp_path_factory.mktemp(f"{request.param}_replayed") / "workspace"
    config, steps = load_pipeline(request.param)
    workspace = LocalWorkspace(root)
    try:
        runner = EmulatedPipelineRunner(config, steps, request.param, workspace,
                                        emulated_workspace_dir(workspace), lambda line: None)
        result = runner.run()
    finally:
        workspace.close()
    assert result.status == COMPLETED, result.error
    return SimpleNamespace(root=root, store=runner.store, run_id=result.run_id)


def _records(store) -> dict[str, str]:
    """Every run record's file content, by file name."""
    return {file.name: file.read_text() for file in sorted(store.path(RUNS).glob("*.json"))}


def _summary_bytes(store, step_run: dict) -> bytes:
    [output] = step_run["output_datasets"]
    return (Path(store.read(DATASETS, output["saved_id"])["path"]) / SUMMARY_FILE).read_bytes()


def _replayed_step(store, replay_run_id: str) -> dict:
    [step_run] = step_runs(store, replay_run_id).values()
    return step_run


def test_the_command_replays_evaluate_as_a_linked_run_on_the_inputs_it_had(emulated, capsys,
                                                                           monkeypatch):
    """A model was registered after evaluate ran: the replay still compares with no champion,
    so its summary.json is the original's, byte for byte."""
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(emulated.root))
    store, original_records = emulated.store, _records(emulated.store)
    code, out, _ = run_cli(capsys, "replay", emulated.run_id, "evaluate")
    assert code == 0, out
    assert f"replaying step evaluate of run {emulated.run_id}" in out
    assert f"(the same as run {emulated.run_id}'s)" in out
    replays = [run for run in store.records(RUNS) if run["run_type"] == PIPELINE_RUN_TYPE
               and run["properties"].get(REPLAY_OF) == emulated.run_id]
    [replay] = replays
    assert replay["status"] == COMPLETED and replay["properties"][REPLAYED_STEP] == "evaluate"
    replayed = _replayed_step(store, replay["run_id"])
    original = step_runs(store, emulated.run_id)["evaluate"]
    assert replayed["status"] == COMPLETED
    assert [(i["input_name"], i["saved_id"]) for i in replayed["input_datasets"]] == \
        [(i["input_name"], i["saved_id"]) for i in original["input_datasets"]]
    assert replayed["run_definition"]["arguments"] == original["run_definition"]["arguments"]
    assert _summary_bytes(store, replayed) == _summary_bytes(store, original)
    assert {name: text for name, text in _records(store).items()
            if name in original_records} == original_records  # the original is only read


def test_debug_runs_the_step_in_this_process_and_puts_the_process_back(emulated, mocker):
    lines, cwd, environment = [], os.getcwd(), dict(os.environ)
    spawned = mocker.patch.object(StepJob, "_execute")  # the job's own process
    replayed = replay_emulated_step(emulated.store, emulated.run_id, "evaluate", debug=True,
                                    report=lines.append)
    assert replayed.result.status == COMPLETED, lines
    assert replayed.same_outputs == {"model_score": True}
    assert not spawned.called  # no job process: a breakpoint() would stop here
    assert "in this process (--debug)" in lines[0]
    assert os.getcwd() == cwd and dict(os.environ) == environment


def test_an_unknown_step_is_refused_naming_the_steps(emulated):
    with pytest.raises(EmulatedReplayError, match="has no step 'score'.*train, evaluate"):
        replay_emulated_step(emulated.store, emulated.run_id, "score", report=lambda line: None)


def test_a_changed_upstream_output_is_refused(emulated):
    [model] = step_runs(emulated.store, emulated.run_id)["train"]["output_datasets"]
    folder = Path(emulated.store.read(DATASETS, model["saved_id"])["path"])
    extra = folder / "extra.txt"
    extra.write_text("changed", encoding="utf-8")
    try:
        with pytest.raises(EmulatedReplayError, match="changed since run"):
            replay_emulated_step(emulated.store, emulated.run_id, "evaluate",
                                 report=lambda line: None)
    finally:
        extra.unlink()


def test_a_run_recorded_before_job_definitions_were_kept_says_so(emulated):
    train = step_runs(emulated.store, emulated.run_id)["train"]
    definition = train.pop("run_definition")
    emulated.store.write(RUNS, train["run_id"], train)
    try:
        with pytest.raises(EmulatedReplayError, match="before the emulator kept"):
            replay_emulated_step(emulated.store, emulated.run_id, "train",
                                 report=lambda line: None)
    finally:
        emulated.store.write(RUNS, train["run_id"], {**train, "run_definition": definition})
