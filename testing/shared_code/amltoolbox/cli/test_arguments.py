"""Numbers on the command line checked as they are parsed: argparse's one-line error and exit
status 2, never a traceback from SQLite or a socket."""
import pytest

from shared_code.amltoolbox.cli.main import main

HUGE = "99999999999999999999999"


@pytest.mark.parametrize("argv, problem", [
    (["models", "show", "model_a", "--version", HUGE],
     f"argument --version: '{HUGE}' is not a version number: give a whole number from 1 to "
     "9,223,372,036,854,775,807; `models list` shows the registered versions"),
    (["models", "show", "model_a", "--version", "0"], "'0' is not a version number"),
    (["models", "show", "model_a", "--version", "two"], "'two' is not a version number"),
    (["serve", "model_a", "--version", HUGE], "is not a version number"),
    (["serve", "model_a", "--port", "70000"], "'70000' is not a port number: give a whole "
                                              "number from 1 to 65,535"),
    (["serve", "model_a", "--workers", "0"], "'0' is not a number of workers"),
    (["deploy", "model_a", "--env", "local", "--version", "-1"], "is not a version number"),
    (["runs", "list", "--limit", HUGE], "is not a number of items"),
    (["models", "list", "--offset", "-1"], "is not a number to skip"),
])
def test_a_number_out_of_range_is_one_line_and_exit_status_2(capsys, workspace_dir, argv,
                                                             problem):
    with pytest.raises(SystemExit) as exited:
        main(argv)
    err = capsys.readouterr().err
    assert exited.value.code == 2
    assert problem in err.splitlines()[-1] and "Traceback" not in err
    assert not workspace_dir.exists()  # refused before anything was opened
