"""run_step: what every script step's `__main__` does: hand main() its context, and fail
clearly."""
from pathlib import Path
from types import SimpleNamespace

import pytest
from testing_helpers import local_registry, make_local_run

from model_a.script_steps import train_tabular

from shared_code.amltoolbox import step_main as step
from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.local.local_run import ERROR_FILE
from shared_code.amltoolbox.errors import EXIT_USER_ERROR, DataError
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.run_context import AZUREML_RUN_ENV_VAR, STEP_SPEC_ENV_VAR
from shared_code.amltoolbox.step_context import StepContext
from shared_code.amltoolbox.step_main import EXIT_CRASH, run_step


def _raise(error):
    def main():
        raise error
    return main


@pytest.fixture(name="run")
def fixture_run(tmp_path, mocker):
    run = make_local_run(tmp_path)
    mocker.patch.object(step, "get_run_context", return_value=run)
    return run


def test_a_step_that_succeeds_just_returns(run):
    calls = []
    run_step(lambda: calls.append("ran"))
    assert calls == ["ran"] and not (run.step_dir / ERROR_FILE).exists()


@pytest.mark.parametrize("error", [DataError("column 'bmi' is missing: add it"),
                                   DatasetReadError("column 'bmi' is missing: add it")])
def test_a_user_error_exits_2_with_its_message_alone_on_record(run, capsys, error):
    with pytest.raises(SystemExit) as exited:
        run_step(_raise(error))
    assert exited.value.code == EXIT_USER_ERROR
    assert capsys.readouterr().err == "ERROR: column 'bmi' is missing: add it\n"
    assert (run.step_dir / ERROR_FILE).read_text(
        encoding="utf-8") == "column 'bmi' is missing: add it"


def test_a_crash_exits_1_with_its_traceback_and_type_on_record(run, capsys):
    with pytest.raises(SystemExit) as exited:
        run_step(_raise(RuntimeError("boom")))
    assert exited.value.code == EXIT_CRASH
    assert "Traceback" in capsys.readouterr().err
    assert (run.step_dir / ERROR_FILE).read_text(encoding="utf-8") == "RuntimeError: boom"


def test_a_failure_that_cannot_be_recorded_still_fails(mocker, capsys):
    mocker.patch.object(step, "get_run_context", side_effect=RuntimeError("no run"))
    with pytest.raises(SystemExit) as exited:
        run_step(_raise(DataError("bad data")))
    assert exited.value.code == EXIT_USER_ERROR
    assert "ERROR: bad data" in capsys.readouterr().err


def test_a_main_that_takes_the_context_gets_the_run_registry_and_model_folder(run, mocker):
    runtime = SimpleNamespace(run=run, registry=local_registry(run))
    mocker.patch.object(step, "current_runtime", return_value=runtime)
    seen = []

    def main(context: StepContext):
        seen.append(context)
    run_step(main)
    assert len(seen) == 1
    context = seen[0]
    assert context.run is run and context.registry is runtime.registry
    assert context.folder == Path(__file__).resolve().parents[1]  # above the script's folder


def test_a_steps_main_is_called_with_a_context_and_no_environment_or_cache(tmp_path, mocker,
                                                                          monkeypatch):
    for name in (STEP_SPEC_ENV_VAR, AZUREML_RUN_ENV_VAR):
        monkeypatch.delenv(name, raising=False)
    table = tmp_path / "train_data"
    table.mkdir()
    (table / "part.csv").write_text(
        "age,sex,bmi,bp,s1,s2,s3,s4,s5,s6,target\n" + "1,1,1,1,1,1,1,1,1,1,2\n" * 3,
        encoding="utf-8")
    run = make_local_run(tmp_path, step="train", outputs=("model",), inputs={"train_data": {
        "type": "tabular", "name": "regression-diabetes-training-01", "version": 1,
        "path": str(table)}})
    fit = mocker.patch("model_a.model.train_model", return_value="fitted")
    context = StepContext(SimpleNamespace(run=run, registry=None), REPO_ROOT / "model_a")
    train_tabular.main(context)
    assert fit.call_args.args[1] == load_model_config(REPO_ROOT / "model_a").training
    assert load_model(run.output_datasets["model"])[0] == "fitted"
