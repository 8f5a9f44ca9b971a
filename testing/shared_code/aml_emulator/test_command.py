"""The command's emulated workspace lives in the local workspace folder, and the command ends
with what Azure ML would have recorded."""
from shared_code.aml_emulator import command
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.pipeline import load_pipeline
from shared_code.amltoolbox.records import COMPLETED, FAILED, RunResult, StepResult


def test_the_emulated_workspace_moves_with_the_local_workspace(mocker, monkeypatch, tmp_path,
                                                               store):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(tmp_path / "elsewhere"))
    runner = mocker.patch.object(command, "EmulatedPipelineRunner")
    runner.return_value.store = store
    runner.return_value.run.return_value = RunResult("r1", COMPLETED, [
        StepResult("register", COMPLETED, 1.0, run_id="s3", log=tmp_path / "log",
                   tags={"not_registered": "identical to the champion model_a:1"})])
    lines = []
    config, steps = load_pipeline("model_a")
    assert command.run_emulated(config, steps, "model_a", report=lines.append) == 0
    assert runner.call_args.args[2] == "model_a"
    assert runner.call_args.args[4] == tmp_path / "elsewhere" / "azureml-emulator"
    assert lines[-1] == "run r1: Completed; nothing registered: identical to the champion model_a:1"


def test_a_failed_run_exits_1_and_says_why_nothing_was_registered(mocker, tmp_path, store):
    runner = mocker.patch.object(command, "EmulatedPipelineRunner")
    runner.return_value.store = store
    runner.return_value.run.return_value = RunResult(
        "r2", FAILED, [], "step 'train' failed: dataset 'x' version 2 has no rows")
    lines = []
    workspace = LocalWorkspace(tmp_path / "workspace")
    config, steps = load_pipeline("model_a")
    assert command.run_emulated(config, steps, "model_a", workspace, report=lines.append) == 1
    assert lines == ["run r2: Failed; nothing registered: step 'train' failed: dataset 'x' "
                     "version 2 has no rows"]
    assert command.emulated_workspace_dir(workspace) == tmp_path / "workspace" / "azureml-emulator"
    workspace.close()
