"""Serve the studio on this machine until stopped (Ctrl+C), on loopback unless asked."""
from pathlib import Path

from werkzeug.serving import make_server

from shared_code.amltoolbox.progress import Progress
from shared_code.amltoolbox.serving.local_server import check_port_free, is_loopback
from .app import create_app

LOOPBACK_NAMES = ["localhost", "127.0.0.1", "::1"]


def studio_url(host: str, port: int) -> str:
    """The address to open in a browser."""
    return f"http://{f'[{host}]' if ':' in host else host}:{port}/"


def serve_studio(workspace_root: Path, host: str, port: int) -> int:
    """Serve the studio over `workspace_root`; 0 once stopped. ServeError when the port is
    taken (checked first: werkzeug's server would end the process on it)."""
    loopback = is_loopback(host)
    with Progress("starting the studio", ticking=True):
        check_port_free(host, port)
        app = create_app(workspace_root, trusted_hosts=LOOPBACK_NAMES if loopback else None)
        server = make_server(host, port, app, threaded=True)
    print(f"studio of the local workspace {workspace_root}\n  open {studio_url(host, port)}"
          "\n  read-only; stop it with Ctrl+C", flush=True)
    if not loopback:
        print(f"  warning: listening on {host}, not loopback: other machines can read the "
              "workspace's runs, models and datasets", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        print("stopped the studio")
    finally:
        server.server_close()
    return 0
