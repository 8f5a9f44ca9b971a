"""run MODEL: the model's pipeline, locally or under the Azure ML emulator."""
from ..local_runner import load_pipeline
from ..pipeline_cli import run_locally


def add_parser(commands) -> None:
    """Add `run`."""
    parser = commands.add_parser(
        "run", help="run a model's pipeline locally (train -> evaluate -> register)",
        description="Run a model folder's pipeline in the local workspace. Its datasets are "
                    "prepared and registered on first use; steps whose code, arguments and "
                    "inputs are unchanged are reused.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--no-reuse", action="store_true", help="run every step")
    parser.add_argument("--emulate-azureml", action="store_true",
                        help="run the model's real Azure ML pipeline on this machine, each step "
                             "as an Azure ML job with the Azure ML SDK (no account, no network), "
                             "then show what Azure ML would have recorded: before spending "
                             "cluster time, and in CI before --submit. Every step runs. Needs "
                             "the tox environment's Python")
    parser.set_defaults(handler=_run)


def _run(args) -> int:
    config, steps = load_pipeline(args.model)
    if args.emulate_azureml:
        from ..azure.emulator.sdk_check import require_sdk
        require_sdk(args.model)
        from ..azure.emulator.command import run_emulated
        return run_emulated(config, steps)
    return run_locally(config, steps, reuse=not args.no_reuse)
