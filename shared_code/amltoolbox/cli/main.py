"""The top-level parser: each command module adds its own subcommand, and is imported only
when that command runs (`--help` and `models list` must not pay for the others' imports)."""
import argparse
import importlib
import sys
from typing import Iterable, Sequence

from ..errors import exit_on_user_error
from .sdk_v2 import V2, v2_function

# name: (its module, in this package or a wing's, its line in --help); the module's
# add_parser() adds the command with the same line (a test holds them equal).
COMMANDS = {
    "run": ("run_cmd", "run a model's pipeline locally (train -> evaluate -> register)"),
    "models": ("models_cmd", "the local model registry"),
    "runs": ("runs_cmd", "pipeline runs in the local workspace"),
    "replay": ("replay_cmd", "run one step of a past run again on exactly the inputs it had"),
    "datasets": ("datasets_cmd", "registered datasets"),
    "new-model": ("shared_code.model_scaffold.command",
                  "create a new model folder from an existing one"),
    "deploy": ("deploy_cmd", "deploy a registered model: dev (ACI), prd (AKS) or local"),
    "release-artifact": ("release_artifact_cmd", "write the model's latest registered version "
                                                 "in Azure ML to registered_model.json"),
    "serve": ("serve_cmd", "serve a registered model locally with azmlinfsrv"),
    "score": ("shared_code.batch_scoring.score_cmd",
              "score a file, a folder or a registered dataset with a registered model, in batch"),
    "smoke-test": ("smoke_test_cmd",
                   "check a running scoring service with the model's testing samples"),
    "studio": ("shared_code.aml_studio.command",
               "look at runs, metrics, plots, models and datasets in a browser"),
    "workspace": ("workspace_cmd", "the local workspace itself"),
    "drift": ("shared_code.model_monitoring.drift_cmd",
              "compare new data with a model version's training data"),
}


def command_module(name: str):
    """The module that adds and runs the command `name`."""
    module = COMMANDS[name][0]  # a wing's by its full name, this package's by its own
    return importlib.import_module(module if "." in module else f".{module}", __package__)


def build_parser(loaded: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The whole command line. Only the commands in `loaded` (all when None) import their
    modules and add their arguments; the others are listed by name and help line."""
    parser = argparse.ArgumentParser(
        prog="python -m shared_code.amltoolbox",
        description="Run model pipelines locally and look into the local workspace "
                    "(datasets, runs, model registry). The workspace is .aml_workspace/ at the "
                    "repository root, or $AML_LOCAL_WORKSPACE.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    loaded = set(COMMANDS if loaded is None else loaded)
    for name, (_, help_line) in COMMANDS.items():
        if name in loaded:
            command_module(name).add_parser(commands)
        else:
            commands.add_parser(name, help=help_line)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse and dispatch; user errors end as one line and exit status 2. A command for Azure
    ML SDK v2 started where azure-ai-ml is missing runs again in the v2 environment."""
    argv = sys.argv[1:] if argv is None else list(argv)
    # The command is the first word: the top-level parser has no options but --help.
    chosen = [argv[0]] if argv and argv[0] in COMMANDS else []
    args = build_parser(chosen).parse_args(argv)
    with exit_on_user_error():
        if getattr(args, "sdk", None) == V2 and not v2_function("has_sdk_v2")():
            sys.exit(v2_function("run_in_v2_environment")("shared_code.amltoolbox", argv))
        sys.exit(args.handler(args) or 0)
