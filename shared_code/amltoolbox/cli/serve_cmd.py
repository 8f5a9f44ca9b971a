"""serve MODEL: a registered model behind the Azure ML inference server, on this machine."""
from ..serving.local_server import DEFAULT_PORT, LOOPBACK, serve_model
from .arguments import port_number, version_number, worker_count


def add_parser(commands) -> None:
    """Add `serve`."""
    parser = commands.add_parser(
        "serve", help="serve a registered model locally with azmlinfsrv",
        description="Serve a model folder's registered model from the local registry with "
                    "the Azure ML inference server (azmlinfsrv) and the folder's "
                    "config/entry_script.py, laid out as Azure ML lays out a deployment; "
                    "whatever the script does, the server refuses a body over the model's "
                    "limit (413) and answers one that is not JSON with a 400. "
                    "POST {\"data\": [...]} to /score; GET / is the health probe.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--version", type=version_number,
                        help="the registered version (default: the latest)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"the port to listen on (default: {DEFAULT_PORT})")
    parser.add_argument("--host", default=LOOPBACK,
                        help=f"the address to listen on (default: {LOOPBACK}, this machine only)")
    parser.add_argument("--workers", type=worker_count,
                        help="server worker processes (default: one per core)")
    parser.add_argument("--log-requests", action="store_true",
                        help="keep the features of scored requests (bounded, rotated) for "
                             "`drift MODEL --requests`")
    parser.set_defaults(handler=_serve)


def _serve(args) -> int:
    return serve_model(args.model, version=args.version, port=args.port, host=args.host,
                       workers=args.workers, log_requests=args.log_requests)
