"""studio: the command line over serve_studio."""
import pytest

from shared_code.amltoolbox.cli.main import main
from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.serving.local_server import ServeError
from shared_code.aml_studio import server


def _exit_status(argv) -> int:
    with pytest.raises(SystemExit) as caught:
        main(argv)
    return caught.value.code


def test_defaults_serve_the_workspace_on_loopback_port_5050(mocker, monkeypatch, tmp_path):
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(tmp_path))
    serve = mocker.patch.object(server, "serve_studio", return_value=0)
    assert _exit_status(["studio"]) == 0
    serve.assert_called_once_with(tmp_path, host="127.0.0.1", port=5050)


def test_host_and_port_reach_serve_studio(mocker):
    serve = mocker.patch.object(server, "serve_studio", return_value=0)
    assert _exit_status(["studio", "--host", "0.0.0.0", "--port", "6060"]) == 0
    assert serve.call_args.kwargs == {"host": "0.0.0.0", "port": 6060}


def test_a_busy_port_is_one_error_line(mocker, capsys):
    mocker.patch.object(server, "serve_studio", side_effect=ServeError("cannot listen on ..."))
    assert _exit_status(["studio"]) == 2
    assert capsys.readouterr().err == "error: cannot listen on ...\n"
