"""Serving the studio: loopback by default, a warning otherwise, a clear error for a busy
port; and the real server over HTTP (no browser needed)."""
import os
import socket
import sys
import urllib.error
import urllib.request

import pytest
from serving_helpers import background_server, free_port

from shared_code.amltoolbox.paths import WORKSPACE_ENV_VAR
from shared_code.amltoolbox.serving.local_server import ServeError
from shared_code.aml_studio import server
from shared_code.aml_studio.server import serve_studio


@pytest.fixture(name="make_server")
def fixture_make_server(mocker):
    """werkzeug's make_server as serve_studio calls it; serving stops at once (Ctrl+C)."""
    made = mocker.patch.object(server, "make_server")
    made.return_value.serve_forever.side_effect = KeyboardInterrupt
    return made


def test_the_studio_binds_loopback_and_answers_only_loopback_names(make_server, mocker,
                                                                  tmp_path, capsys):
    create_app = mocker.spy(server, "create_app")
    assert serve_studio(tmp_path, "127.0.0.1", 5050) == 0
    host, port, _ = make_server.call_args.args
    assert (host, port) == ("127.0.0.1", 5050)
    assert "localhost" in create_app.call_args.kwargs["trusted_hosts"]
    out = capsys.readouterr().out
    assert "open http://127.0.0.1:5050/" in out and "warning" not in out
    make_server.return_value.server_close.assert_called_once()


def test_another_address_is_served_with_a_warning(make_server, mocker, tmp_path, capsys):
    create_app = mocker.spy(server, "create_app")
    serve_studio(tmp_path, "0.0.0.0", 5050)
    assert make_server.call_args.args[0] == "0.0.0.0"
    assert create_app.call_args.kwargs["trusted_hosts"] is None
    assert "warning: listening on 0.0.0.0, not loopback" in capsys.readouterr().out


def test_a_busy_port_is_an_error_saying_what_to_do(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(ServeError, match="choose another with --port"):
            serve_studio(tmp_path, "127.0.0.1", taken.getsockname()[1])


@pytest.mark.integration
def test_the_real_server_serves_pages_and_refuses_writes(recorded):
    port = free_port()
    command = [sys.executable, "-m", "shared_code.amltoolbox", "studio", "--port", str(port)]
    env = {**os.environ, WORKSPACE_ENV_VAR: str(recorded.root)}
    with background_server(command, env, f"http://127.0.0.1:{port}") as url:
        with urllib.request.urlopen(f"{url}/runs/{recorded.first}", timeout=60) as page:
            assert page.status == 200 and b"rmse" in page.read()
        with (pytest.raises(urllib.error.HTTPError) as refused,
              urllib.request.urlopen(urllib.request.Request(f"{url}/", data=b"x"), timeout=60)):
            pass
        assert refused.value.code == 405
