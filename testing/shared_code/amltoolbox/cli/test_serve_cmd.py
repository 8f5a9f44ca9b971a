"""serve MODEL: the command line over serve_model."""
import pytest

from shared_code.amltoolbox.cli import serve_cmd
from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.serving.local_server import ServeError


def _exit_status(argv) -> int:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    return caught.value.code


def test_defaults_serve_the_latest_version_on_loopback_port_5001(mocker):
    serve = mocker.patch.object(serve_cmd, "serve_model", return_value=0)
    assert _exit_status(["serve", "model_a"]) == 0
    serve.assert_called_once_with("model_a", version=None, port=5001, host="127.0.0.1",
                                  workers=None, log_requests=False)


def test_every_option_reaches_serve_model_and_its_status_is_the_exit_status(mocker):
    serve = mocker.patch.object(serve_cmd, "serve_model", return_value=3)
    argv = ["serve", "model_a", "--version", "2", "--port", "6000", "--host", "0.0.0.0",
            "--workers", "4", "--log-requests"]
    assert _exit_status(argv) == 3
    serve.assert_called_once_with("model_a", version=2, port=6000, host="0.0.0.0", workers=4,
                                  log_requests=True)


def test_a_server_that_cannot_start_is_one_error_line(mocker, capsys):
    mocker.patch.object(serve_cmd, "serve_model", side_effect=ServeError("port 5001 in use"))
    assert _exit_status(["serve", "model_a"]) == 2
    assert capsys.readouterr().err == "error: port 5001 in use\n"


def test_an_unknown_model_is_one_error_line(capsys):
    assert _exit_status(["serve", "no_such_model"]) == 2
    assert capsys.readouterr().err.startswith("error: 'no_such_model' is not a model folder")
