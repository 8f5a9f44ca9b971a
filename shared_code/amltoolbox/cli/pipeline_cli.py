"""The command line of every model's aml_pipeline.py (`python -m model_a.aml_pipeline
--help`): where the pipeline runs is a target of TARGETS, loaded only when chosen, so the
local run starts fast and imports neither azureml nor a wing."""
import argparse
import sys
from pathlib import Path
from typing import Sequence

from ..errors import exit_on_user_error
from ..loading import load
from ..model_config import ModelConfig, check_model_folder
from ..pipeline import Step

V1, V2 = "v1", "v2"
# Where the options send the pipeline: each target is loaded when chosen, a function of
# (args, config, steps, experiment_name) returning the exit status; emulate and v2 are wings.
TARGETS = {
    "local": "shared_code.amltoolbox.cli.local_target:run",
    "submit": "shared_code.aml_sdk_v1.pipeline_targets:submit",
    "publish": "shared_code.aml_sdk_v1.pipeline_targets:publish",
    "emulate": "shared_code.aml_emulator.pipeline_target:run",
    "v2": "shared_code.aml_sdk_v2.pipeline_commands:run",
    "batch": "shared_code.batch_scoring.azureml_pipeline:run_target",
    "drift": "shared_code.model_monitoring.drift_target:run_target",
}
SCHEDULES = ("daily", "weekly")


def build_parser(config: ModelConfig, steps: Sequence[Step],
                 experiment_name: str) -> argparse.ArgumentParser:
    """--local (the default) | --submit [--wait] | --publish, and --no-reuse."""
    parser = argparse.ArgumentParser(
        prog=f"python -m {config.folder.name}.aml_pipeline",
        description=f"Run {config.folder.name}'s pipeline ({' -> '.join(s.name for s in steps)}) "
                    "on this machine, or submit or publish it in Azure ML (workspace from "
                    "config.json or the AZUREML_* environment variables).")
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--local", action="store_true",
                       help="run on this machine in the local workspace (the default)")
    where.add_argument("--emulate-azureml", action="store_true",
                       help="run the Azure ML pipeline on this machine under the emulator of "
                            "Azure ML's job runtime (no account, no network; every step runs), "
                            "then show what Azure ML would have recorded: before spending "
                            "cluster time, and in CI before --submit")
    where.add_argument("--submit", action="store_true",
                       help=f"submit to Azure ML as a run of experiment '{experiment_name}'")
    where.add_argument("--publish", action="store_true",
                       help=f"publish to Azure ML as the default version of pipeline endpoint "
                            f"'{experiment_name}', which CI triggers")
    parser.add_argument("--wait", action="store_true",
                        help="with --submit: stream the run's output until it ends; the exit "
                             "status says whether it finished")
    parser.add_argument("--no-reuse", action="store_true",
                        help="run every step, even those whose inputs and code are unchanged "
                             "(locally or with --submit)")
    parser.add_argument("--explain", action="store_true",
                        help="locally: then say, for each step, what its reuse key is made of "
                             "and why it ran (what differs from the run it would otherwise have "
                             "reused) or which run it was reused from; with --submit: first say "
                             "which steps Azure ML will reuse, and why the others will rerun")
    parser.add_argument("--expect-reuse", action="store_true",
                        help="with --submit: submit nothing when a step that allows reuse would "
                             "run again in Azure ML (its code, environment or inputs changed)")
    parser.add_argument("--sdk", choices=(V1, V2), default=V1,
                        help="with --submit or --publish: the Azure ML SDK to compile the "
                             "pipeline for (default v1); v2 needs virtualenvs/requirements-v2.txt")
    parser.add_argument("--dump", type=Path, metavar="FILE",
                        help="with --sdk v2: write the pipeline job as v2 YAML to FILE, with no "
                             "workspace and no network, and check it with azure-ai-ml")
    parser.add_argument("--batch", action="store_true",
                        help="with --submit, --publish or --emulate-azureml: the batch "
                             "scoring pipeline instead, a ParallelRunStep scoring a registered "
                             "dataset with the registered model and config/entry_script.py "
                             "(shared_code/batch_scoring)")
    parser.add_argument("--batch-dataset", metavar="NAME[:VERSION]",
                        help="with --batch: the registered dataset to score (default: the "
                             "model's testing dataset, its latest version)")
    parser.add_argument("--drift", action="store_true",
                        help="with --submit, --publish, --emulate-azureml or --sdk v2 --dump: the "
                             "drift pipeline instead, one step checking a registered dataset "
                             "against the model version's training data, as the drift command "
                             "does (shared_code/model_monitoring)")
    parser.add_argument("--drift-dataset", metavar="NAME[:VERSION]",
                        help="with --drift: the registered dataset to check (default: the "
                             "model's testing dataset, its latest version)")
    parser.add_argument("--drift-model", type=int, metavar="VERSION",
                        help="with --drift: the model version to check (default: the latest)")
    parser.add_argument("--schedule", choices=SCHEDULES,
                        help="with --drift --publish: also run the published drift pipeline on "
                             "this schedule")
    return parser


def check_drift_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse drift options that mean nothing (parser.error exits with status 2)."""
    if (args.drift_dataset or args.drift_model or args.schedule) and not args.drift:
        parser.error("--drift-dataset, --drift-model and --schedule go with --drift")
    if not args.drift:
        return
    if args.batch or args.wait or args.no_reuse or args.explain or args.expect_reuse:
        parser.error("--drift goes with --submit, --publish, --emulate-azureml or --sdk v2 "
                     "--dump FILE, and no other option of the training pipeline")
    if args.sdk == V2 and args.dump is None:
        parser.error("--drift --sdk v2 goes with --dump FILE")
    if not (args.submit or args.publish or args.emulate_azureml or args.dump is not None):
        parser.error("--drift goes with --submit, --publish, --emulate-azureml or --sdk v2 "
                     "--dump FILE")
    if args.schedule and not args.publish:
        parser.error("--schedule goes with --drift --publish")


def check_arguments(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    """Refuse combinations that mean nothing (parser.error exits with status 2)."""
    if args.wait and not args.submit:
        parser.error("--wait goes with --submit")
    if args.expect_reuse and not args.submit:
        parser.error("--expect-reuse goes with --submit")
    if args.explain and (args.publish or args.emulate_azureml):
        parser.error("--explain goes with --local or --submit")
    if (args.explain or args.expect_reuse) and args.sdk == V2:
        parser.error("--explain and --expect-reuse go with SDK v1: azure-ai-ml leaves reuse "
                     "to the service (a step's is_deterministic, the job's force_rerun)")
    if args.no_reuse and args.publish:
        parser.error("--no-reuse goes with --local or --submit")
    if args.dump is not None and args.sdk != V2:
        parser.error("--dump goes with --sdk v2")
    if args.sdk == V2 and not (args.dump is not None or args.submit or args.publish):
        parser.error("--sdk v2 goes with --dump FILE, --submit or --publish (a local run is "
                     "the same for both SDKs)")
    if args.dump is not None and (args.submit or args.publish):
        parser.error("--dump writes the job; submit or publish it in a separate command")
    if (args.batch or args.batch_dataset) and not (
            args.batch and (args.submit or args.publish or args.emulate_azureml)):
        parser.error("--batch goes with --submit, --publish or --emulate-azureml; "
                     "--batch-dataset with --batch")
    check_drift_arguments(parser, args)


def target_name(args: argparse.Namespace) -> str:
    """The TARGETS entry the parsed options choose."""
    if args.batch:
        return "batch"
    if args.drift:
        return "drift"
    if args.sdk == V2:
        return "v2"
    if args.emulate_azureml:
        return "emulate"
    if args.submit:
        return "submit"
    return "publish" if args.publish else "local"


def main(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
         argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run the pipeline where it says; runs are filed under
    `experiment_name` (locally too)."""
    parser = build_parser(config, steps, experiment_name)
    args = parser.parse_args(argv)
    args.argv = list(sys.argv[1:] if argv is None else argv)  # to run again elsewhere (v2)
    check_arguments(parser, args)
    with exit_on_user_error():
        check_model_folder(config)  # before any target runs the folder's code
        sys.exit(load(TARGETS[target_name(args)])(args, config, steps, experiment_name))
