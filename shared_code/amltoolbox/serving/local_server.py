"""Serve a registered model on this machine with the Azure ML inference server: its files laid
out as Azure ML lays out a deployment's, one copy per content, never rewritten under a running
server; azmlinfsrv's own app under gunicorn, bound to 127.0.0.1 by default (azmlinfsrv binds
every interface), the entry script behind the toolbox's (server_entry) as deployed.
"""
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..errors import UserError
from ..hashing import tree_sha256
from ..layout import ModelLayout, model_folder
from ..local.models import ModelRecord, model_problem
from ..loading import load_optional
from ..local.workspace import LocalWorkspace
from ..own_code import check_own_code
from ..paths import REPO_ROOT, workspace_root
from .model_loading import EXPECTED_SHA256_ENV_VAR, MODEL_DIR_ENV_VAR
from .request_log import REQUEST_LOG_ENV_VAR, REQUEST_WRITER, request_log_folder
from .server_entry import server_entry_variables
from .settings import serving_settings

LOOPBACK = "127.0.0.1"
DEFAULT_PORT = 5001
SERVING_DIR = "serving"  # in the local workspace
SERVER_APP = "azureml_inference_server_http.server.entry:app"
WORKER_TIMEOUT_SECONDS = 300  # azmlinfsrv's default


class ServeError(UserError):
    """The server cannot be started as asked."""


@dataclass(frozen=True)
class ServerPlan:
    """How to start the server for one registered model version."""
    record: ModelRecord
    model_dir: Path
    command: list[str]
    env: dict[str, str]
    url: str
    workers: int


def default_workers() -> int:
    """One worker per core this process may use."""
    if hasattr(os, "sched_getaffinity"):  # Linux; elsewhere (macOS) count the machine's
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def lay_out_model(record: ModelRecord, serving_root: Path | None = None) -> Path:
    """The model dir of a copy of the registered files, <root>/<name>/<version>-<sha256>/
    <name>/<version>/ (root: the workspace's serving/): a copy there is used as it is, or
    replaced when its files changed; files that differ from the registry's are refused."""
    problem = model_problem(record)
    if problem:
        raise ServeError(f"cannot serve: {problem}. Register the model again (run its "
                         "pipeline with --no-reuse), or serve another --version.")
    parent = (serving_root or workspace_root() / SERVING_DIR) / record.name
    model_dir = parent / f"{record.version}-{record.sha256[:16]}"
    if _laid_out(model_dir, record):
        return model_dir
    parent.mkdir(parents=True, exist_ok=True)
    if model_dir.exists():
        damaged = Path(tempfile.mkdtemp(prefix=".damaged-", dir=parent))
        model_dir.rename(damaged / model_dir.name)
        shutil.rmtree(damaged, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=parent))
    try:
        shutil.copytree(record.path, staging / record.name / str(record.version))
        try:
            staging.rename(model_dir)
        except OSError:
            if not _laid_out(model_dir, record):  # else another serve laid it out first
                raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return model_dir


def _laid_out(model_dir: Path, record: ModelRecord) -> bool:
    files = model_dir / record.name / str(record.version)
    return files.is_dir() and tree_sha256(files) == record.sha256


def entry_script_of(model: str) -> Path:
    """The model folder's config/entry_script.py."""
    folder = model_folder(model)
    check_own_code(folder)
    script = ModelLayout(folder).entry_script
    if not script.is_file():
        raise ServeError(f"{script} does not exist: a served model needs an entry script "
                         "with init() and run() (see model_a/config/entry_script.py)")
    return script


def server_environment(entry_script: Path, model_dir: Path, expected_sha256: str) -> dict:
    """The variables azmlinfsrv would set, plus the registry's checksum for init(): the
    server runs `entry_script` behind the toolbox's entry script, as a deployment does."""
    from importlib.metadata import version as package_version
    return {**os.environ,
            **server_entry_variables(entry_script),
            MODEL_DIR_ENV_VAR: str(model_dir),
            EXPECTED_SHA256_ENV_VAR: expected_sha256,
            # The entry script imports shared_code from here, as from a deployment's
            # source directory; the server puts this folder on sys.path.
            "AML_APP_ROOT": str(REPO_ROOT),
            "AML_APP_INSIGHTS_ENABLED": "false",
            "HTTP_X_MS_SERVER_VERSION":
                f"azmlinfsrv/{package_version('azureml-inference-server-http')}"}


def server_command(host: str, port: int, workers: int, platform: str = sys.platform) -> list[str]:
    """The server azmlinfsrv runs its app under on `platform`, bound to `host`.

    Linux and macOS: gunicorn, `workers` processes (azureml_inference_server_http/
    amlserver_linux.py). Windows, which gunicorn does not run on: waitress, one process with
    `workers` threads, as azmlinfsrv itself does there (amlserver.py:195-198,
    amlserver_win.py:18-20). waitress reads a body whole before the app sees it, spooling all
    past 512 KiB to a temporary file, so memory stays bounded there too, and the app's own
    body limit and 4xx answers are the same. No access log: the app logs each request.
    """
    if platform == "win32":
        return [sys.executable, "-m", "waitress", f"--listen={_url_host(host)}:{port}",
                f"--threads={workers}", SERVER_APP]
    return [sys.executable, "-m", "gunicorn", "--bind", f"{host}:{port}",
            "--workers", str(workers), "--timeout", str(WORKER_TIMEOUT_SECONDS),
            # Servers started side by side would share one control socket; none is used.
            "--no-control-socket", SERVER_APP]


def plan_server(model: str, record: ModelRecord, host: str = LOOPBACK, port: int = DEFAULT_PORT,
                workers: int | None = None, serving_root: Path | None = None) -> ServerPlan:
    """Lay the model out and say how to start its server."""
    if workers is not None and workers < 1:
        raise ServeError(f"--workers is {workers}; give at least 1")
    entry_script = entry_script_of(model)
    model_dir = lay_out_model(record, serving_root)
    workers = workers or default_workers()
    return ServerPlan(record=record, model_dir=model_dir,
                      command=server_command(host, port, workers),
                      env=server_environment(entry_script, model_dir, record.sha256),
                      url=f"http://{_url_host(host)}:{port}", workers=workers)


def registered_model(model: str, version: int | None = None) -> ModelRecord:
    """The local registry's record of a model folder's model, the latest unless `version`
    (its files not yet checked: lay_out_model does)."""
    name = serving_settings(model_folder(model)).model_name
    workspace = LocalWorkspace()
    try:
        return workspace.models.get(name, version)
    finally:
        workspace.close()


def serve_model(model: str, version: int | None = None, port: int = DEFAULT_PORT,  # pylint: disable=too-many-arguments
                host: str = LOOPBACK, workers: int | None = None,
                log_requests: bool = False) -> int:
    """Serve a model folder's registered model until stopped; the server's exit status.
    With `log_requests`, the features of scored requests are kept (serving/request_log.py)."""
    check_own_code(model_folder(model))  # before the registry: its code is what is served
    record = registered_model(model, version)
    check_port_free(host, port)
    plan = plan_server(model, record, host, port, workers)
    print(_banner(plan, host), flush=True)
    # Without model monitoring there is nothing to write them: said once, and served as is.
    if log_requests and load_optional(REQUEST_WRITER, "serve --log-requests") is not None:
        folder = request_log_folder(workspace_root(), record.name)
        plan.env[REQUEST_LOG_ENV_VAR] = str(folder)
        print(f"logging the features of scored requests to {folder}", flush=True)
    with subprocess.Popen(plan.command, env=plan.env, cwd=REPO_ROOT) as process:
        # Stopped by a signal, stop the server too rather than leave it running on its own.
        previous_handler = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
        try:
            return process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait()
            print(f"stopped serving {record.id}")
            return 0
        finally:
            signal.signal(signal.SIGTERM, previous_handler)


def check_port_free(host: str, port: int) -> None:
    """Raise ServeError, saying what to do, when something listens on host:port already."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as gunicorn binds
        try:
            probe.bind((host, port))
        except OSError as error:
            raise ServeError(f"cannot listen on {host}:{port} ({error.strerror}): stop what "
                             "uses that port or choose another with --port") from None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def is_loopback(host: str) -> bool:
    """Whether `host` is this machine only (127.0.0.0/8, ::1, localhost)."""
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def _banner(plan: ServerPlan, host: str) -> str:
    lines = [f"serving {plan.record.id} (sha256 {plan.record.sha256[:12]}) with azmlinfsrv, "
             f"{plan.workers} worker(s)",
             f"  score:   POST {plan.url}/score   (JSON: {{\"data\": [...]}})",
             f"  health:  GET  {plan.url}/",
             f"  swagger: GET  {plan.url}/swagger.json",
             f"  model files laid out in {plan.model_dir}"]
    if not is_loopback(host):
        lines.append(f"  warning: listening on {host}, not loopback: other machines can call it")
    lines.append("stop it with Ctrl+C")
    return "\n".join(lines)
