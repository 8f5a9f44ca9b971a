"""Serving a registered model locally: layout, the server's command, start and stop."""
import shutil
import signal
import socket
import sys

import pytest
import serving_helpers
from reference_models import reference_models
from serving_helpers import free_port, registered_record, running_server

from shared_code.amltoolbox.hashing import tree_sha256
from shared_code.amltoolbox.local.models import ModelNotFoundError
from shared_code.amltoolbox.local.workspace import LocalWorkspace
from shared_code.amltoolbox.paths import REPO_ROOT, WORKSPACE_ENV_VAR
from shared_code.amltoolbox.serving import local_server
from shared_code.amltoolbox.serving.local_server import (
    SERVER_APP, SERVING_DIR, ServeError, default_workers, entry_script_of, lay_out_model,
    plan_server, registered_model, serve_model, server_command)
from shared_code.amltoolbox.serving.model_loading import (EXPECTED_SHA256_ENV_VAR,
                                                          MODEL_DIR_ENV_VAR)
from shared_code.amltoolbox.serving.request_log import REQUEST_LOG_ENV_VAR
from shared_code.amltoolbox.serving.server_entry import (MODEL_ENTRY_SCRIPT_ENV_VAR,
                                                         SERVER_ENTRY_SCRIPT)
from shared_code.amltoolbox.serving.smoke_test import smoke_test


@pytest.fixture(name="record")
def fixture_record(workspace_dir, tmp_path):
    """model_a:1 in an empty workspace: a small stand-in artifact, registered for real."""
    artifact = tmp_path / "artifact"
    artifact.mkdir()
    (artifact / "model.pkl").write_bytes(b"model")
    (artifact / "model_info.json").write_text("{}", encoding="utf-8")
    workspace = LocalWorkspace(workspace_dir)
    try:
        return workspace.models.register("model_a", artifact)[0]
    finally:
        workspace.close()


@pytest.fixture(name="popen")
def fixture_popen(mocker):
    """subprocess.Popen as serve_model calls it, never starting anything."""
    return mocker.patch.object(local_server.subprocess, "Popen")


def _process(popen):
    """The server process serve_model started, as its `with` block sees it."""
    return popen.return_value.__enter__.return_value


def test_the_model_is_laid_out_in_the_workspace_as_azure_ml_lays_out_a_deployment(
        record, workspace_dir):
    model_dir = lay_out_model(record)
    assert model_dir == workspace_dir / SERVING_DIR / "model_a" / f"1-{record.sha256[:16]}"
    assert tree_sha256(model_dir / "model_a" / "1") == record.sha256
    assert [p.name for p in model_dir.parent.iterdir()] == [model_dir.name]  # no staging left


def test_a_laid_out_copy_is_used_again_never_rewritten(record, tmp_path):
    model_file = lay_out_model(record, tmp_path) / "model_a" / "1" / "model.pkl"
    before = model_file.stat()
    assert lay_out_model(record, tmp_path) / "model_a" / "1" / "model.pkl" == model_file
    after = model_file.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_a_laid_out_copy_whose_files_changed_is_replaced_by_a_whole_one(record, tmp_path):
    model_dir = lay_out_model(record, tmp_path)
    (model_dir / "model_a" / "1" / "model.pkl").write_bytes(b"tampered")
    assert lay_out_model(record, tmp_path) == model_dir
    assert tree_sha256(model_dir / "model_a" / "1") == record.sha256
    assert [p.name for p in model_dir.parent.iterdir()] == [model_dir.name]


def test_serving_the_same_version_from_another_workspace_leaves_this_ones_files(
        record, tmp_path, monkeypatch):
    model_dir = lay_out_model(record)
    served = {p: p.read_bytes() for p in (model_dir / "model_a" / "1").iterdir()}
    other = LocalWorkspace(tmp_path / "other")
    artifact = tmp_path / "other_artifact"
    artifact.mkdir()
    (artifact / "model.pkl").write_bytes(b"another model")
    other_record = other.models.register("model_a", artifact)[0]
    monkeypatch.setenv(WORKSPACE_ENV_VAR, str(other.root))
    assert lay_out_model(other_record).is_relative_to(other.root)
    other.close()
    assert {p: p.read_bytes() for p in (model_dir / "model_a" / "1").iterdir()} == served


@pytest.mark.parametrize("damage, problem", [("delete", "files are missing"),
                                             ("change", "changed after registration")])
def test_a_version_whose_registered_files_are_damaged_is_not_served(record, popen, damage,
                                                                   problem):
    model_file = record.path / "model.pkl"
    if damage == "delete":
        shutil.rmtree(record.path)
    else:
        model_file.write_bytes(b"changed")
    with pytest.raises(ServeError, match=f"cannot serve: model model_a:1's .*{problem}"):
        serve_model("model_a", port=free_port())
    popen.assert_not_called()


def test_the_server_runs_azmlinfsrvs_app_under_gunicorn_bound_as_asked():
    command = server_command("127.0.0.1", 5005, 3)
    assert command[:3] == [sys.executable, "-m", "gunicorn"]
    assert command[command.index("--bind") + 1] == "127.0.0.1:5005"
    assert command[command.index("--workers") + 1] == "3"
    assert command[-1] == SERVER_APP
    assert "--access-logfile" not in command  # the app logs each scoring request itself


@pytest.mark.parametrize("host, listen", [("127.0.0.1", "127.0.0.1:5005"), ("::1", "[::1]:5005")])
def test_on_windows_the_server_is_waitress_as_azmlinfsrv_runs_it_there(host, listen):
    command = server_command(host, 5005, 3, platform="win32")
    assert command[:3] == [sys.executable, "-m", "waitress"]
    assert f"--listen={listen}" in command and "--threads=3" in command
    assert command[-1] == SERVER_APP


def test_the_plan_has_the_entry_script_model_checksum_and_a_worker_per_core(record, tmp_path):
    plan = plan_server("model_a", record, port=5005, serving_root=tmp_path)
    assert plan.workers == default_workers() >= 1
    assert plan.url == "http://127.0.0.1:5005"
    assert plan.env[MODEL_ENTRY_SCRIPT_ENV_VAR] == str(REPO_ROOT / "model_a" / "config" /
                                                       "entry_script.py")
    assert plan.env["AZUREML_ENTRY_SCRIPT"] == str(SERVER_ENTRY_SCRIPT)  # the model's, behind it
    assert plan.env[MODEL_DIR_ENV_VAR] == str(plan.model_dir)
    assert plan.env[EXPECTED_SHA256_ENV_VAR] == record.sha256
    assert plan.env["AML_APP_ROOT"] == str(REPO_ROOT)


def test_an_ipv6_host_is_bracketed_in_the_url(record, tmp_path):
    assert plan_server("model_a", record, "::1", 5005, serving_root=tmp_path).url == \
        "http://[::1]:5005"


def test_fewer_than_one_worker_is_refused(record, tmp_path):
    with pytest.raises(ServeError, match="at least 1"):
        plan_server("model_a", record, workers=0, serving_root=tmp_path)


def test_a_model_folder_without_an_entry_script_cannot_be_served(mocker, tmp_path):
    mocker.patch.object(local_server, "model_folder", return_value=tmp_path)
    with pytest.raises(ServeError, match="needs an entry script"):
        entry_script_of("model_x")


def test_the_latest_version_is_served_unless_one_is_named(record):
    assert registered_model("model_a") == record
    with pytest.raises(ModelNotFoundError, match="registered versions: 1"):
        registered_model("model_a", 7)


def test_serving_prints_where_and_what_then_returns_the_servers_status(record, popen, capsys):
    _process(popen).wait.return_value = 3
    assert serve_model("model_a", port=free_port(), workers=2) == 3
    out = capsys.readouterr().out
    assert "serving model_a:1" in out and "2 worker(s)" in out
    assert "POST http://127.0.0.1:" in out and "Ctrl+C" in out
    assert "warning" not in out
    env = popen.call_args.kwargs["env"]
    assert env[EXPECTED_SHA256_ENV_VAR] == record.sha256
    assert env[MODEL_DIR_ENV_VAR] == str(lay_out_model(record))


def test_logging_requests_names_the_log_folder_to_the_server(record, popen, capsys,  # pylint: disable=unused-argument
                                                              workspace_dir):
    _process(popen).wait.return_value = 0
    serve_model("model_a", port=free_port(), log_requests=True)
    folder = workspace_dir / "request_logs" / "model_a"
    assert popen.call_args.kwargs["env"][REQUEST_LOG_ENV_VAR] == str(folder)
    assert f"logging the features of scored requests to {folder}" in capsys.readouterr().out


def test_without_model_monitoring_requests_are_served_unlogged_saying_so(record, popen, capsys,  # pylint: disable=unused-argument
                                                                         mocker):
    _process(popen).wait.return_value = 0
    missing = ModuleNotFoundError("No module named 'shared_code.model_monitoring'",
                                  name="shared_code.model_monitoring")
    mocker.patch("shared_code.amltoolbox.loading.importlib.import_module", side_effect=missing)
    serve_model("model_a", port=free_port(), log_requests=True)
    assert REQUEST_LOG_ENV_VAR not in popen.call_args.kwargs["env"]
    err = capsys.readouterr().err
    assert "serve --log-requests: shared_code.model_monitoring.request_log is not in this " \
           "project" in err


@pytest.mark.parametrize("host, warned", [("0.0.0.0", True), ("localhost", False),
                                         ("127.0.0.2", False)])
def test_serving_beyond_loopback_warns(record, popen, capsys, host, warned):  # pylint: disable=unused-argument
    _process(popen).wait.return_value = 0
    serve_model("model_a", port=free_port(host), host=host)
    assert ("warning: listening on" in capsys.readouterr().out) is warned


def test_ctrl_c_stops_the_server_and_ends_cleanly(record, popen, capsys):  # pylint: disable=unused-argument
    _process(popen).wait.side_effect = [KeyboardInterrupt, 0]
    assert serve_model("model_a", port=free_port()) == 0
    _process(popen).terminate.assert_called_once()
    assert "stopped serving model_a:1" in capsys.readouterr().out


def test_a_sigterm_stops_the_server_too(record, popen):  # pylint: disable=unused-argument
    before = signal.getsignal(signal.SIGTERM)

    def wait():
        signal.getsignal(signal.SIGTERM)(signal.SIGTERM, None)
        return 0
    _process(popen).wait.side_effect = wait
    assert serve_model("model_a", port=free_port()) == 0
    _process(popen).terminate.assert_called_once()
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_port_in_use_is_refused_before_starting(record, popen):  # pylint: disable=unused-argument
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        with pytest.raises(ServeError, match="choose another with --port"):
            serve_model("model_a", port=busy.getsockname()[1])
    popen.assert_not_called()


def test_a_server_that_dies_at_start_is_reported_with_its_log(record, mocker, tmp_path):
    mocker.patch.object(local_server, "server_command", return_value=[
        sys.executable, "-c", "import sys; print('worker failed to boot'); sys.exit(3)"])
    with pytest.raises(ServeError, match="(?s)status 3.*worker failed to boot"):
        with running_server("model_a", record, serving_root=tmp_path):
            pass


def test_a_server_that_never_answers_is_given_up_on(record, mocker, tmp_path):
    mocker.patch.object(serving_helpers, "READY_TIMEOUT_SECONDS", 0.3)
    mocker.patch.object(local_server, "server_command", return_value=[
        sys.executable, "-c", "import time; time.sleep(30)"])
    with pytest.raises(ServeError, match="did not answer within 0.3 s"):
        with running_server("model_a", record, serving_root=tmp_path):
            pass


@pytest.mark.integration
@pytest.mark.parametrize("model", reference_models())
def test_a_real_azmlinfsrv_process_on_loopback_passes_the_smoke_test(model, request, tmp_path):
    record = registered_record(model, request.getfixturevalue(f"{model}_workspace"), 1)
    with running_server(model, record, workers=1, serving_root=tmp_path) as url:
        assert url.startswith("http://127.0.0.1:")
        ok, verdict = smoke_test(model, url)
        assert ok, verdict
        assert record.id in verdict
        bad_ok, bad_verdict = smoke_test(model, url + "/nowhere")
    assert not bad_ok
    assert "HTTP 404" in bad_verdict
