"""run_step: what every script step's `__main__` does when it fails."""
import pytest
from testing_helpers import make_local_run

from shared_code.amltoolbox import step_main as step
from shared_code.amltoolbox.csv_reading import DatasetReadError
from shared_code.amltoolbox.local.local_run import ERROR_FILE
from shared_code.amltoolbox.errors import EXIT_USER_ERROR, DataError
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
