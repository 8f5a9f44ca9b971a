"""run MODEL: the model's pipeline, locally."""
from ..local.runner import load_pipeline
from .pipeline_cli import run_locally


def add_parser(commands) -> None:
    """Add `run`."""
    parser = commands.add_parser(
        "run", help="run a model's pipeline locally (train -> evaluate -> register)",
        description="Run a model folder's pipeline in the local workspace. Its datasets are "
                    "prepared and registered on first use; steps whose code, arguments and "
                    "inputs are unchanged are reused.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--no-reuse", action="store_true", help="run every step")
    parser.set_defaults(handler=_run)


def _run(args) -> int:
    config, steps = load_pipeline(args.model)
    return run_locally(config, steps, reuse=not args.no_reuse)
