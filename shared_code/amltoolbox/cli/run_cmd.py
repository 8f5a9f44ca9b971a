"""run MODEL: the model's pipeline, locally (its aml_pipeline.run_pipeline(), as given), or
under the Azure ML emulator."""
from ..pipeline import pipeline_module


def add_parser(commands) -> None:
    """Add `run`."""
    parser = commands.add_parser(
        "run", help="run a model's pipeline locally (train -> evaluate -> register)",
        description="Run a model folder's pipeline in the local workspace, through its "
                    "aml_pipeline.py's run_pipeline(). Its datasets are prepared and "
                    "registered on first use; steps whose code, arguments and inputs are "
                    "unchanged are reused.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--no-reuse", action="store_true", help="run every step")
    parser.add_argument("--emulate-azureml", action="store_true",
                        help="run the model's real Azure ML pipeline on this machine, each step "
                             "as an Azure ML job with the Azure ML SDK (no account, no network), "
                             "then show what Azure ML would have recorded: before spending "
                             "cluster time, and in CI before --submit. Every step runs")
    parser.add_argument("--explain", action="store_true",
                        help="then say why each step ran (what differs from the run it would "
                             "otherwise have reused) or which run it was reused from")
    parser.set_defaults(handler=_run)


def _run(args) -> int:
    where = ["--emulate-azureml"] if args.emulate_azureml else ["--local"]
    pipeline_module(args.model).run_pipeline([*where, *(["--no-reuse"] * args.no_reuse),
                                              *(["--explain"] * args.explain)])
    return 0
