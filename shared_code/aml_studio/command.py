"""`python -m shared_code.amltoolbox studio`: the local workspace as web pages (runs,
metrics, plots, models, datasets); the core's command line loads this module by name."""
from shared_code.amltoolbox.paths import workspace_root
from shared_code.amltoolbox.serving.local_server import LOOPBACK

DEFAULT_PORT = 5050


def add_parser(commands) -> None:
    """Add `studio`."""
    parser = commands.add_parser(
        "studio", help="look at runs, metrics, plots, models and datasets in a browser",
        description="Serve read-only web pages over the local workspace, as Azure ML studio "
                    "shows a workspace: runs (newest first, by model and status), one run's "
                    "steps, metrics, plots, summary.json and logs, the registered models with "
                    "their lineage, and the datasets. Open the address it prints.")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT,
                        help=f"the port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument("--host", default=LOOPBACK,
                        help=f"the address to listen on (default: {LOOPBACK}, this machine "
                             "only; any other prints a warning)")
    parser.set_defaults(handler=_studio)


def _studio(args) -> int:
    from .server import serve_studio  # Flask, only when the studio is asked for
    return serve_studio(workspace_root(), host=args.host, port=args.port)
