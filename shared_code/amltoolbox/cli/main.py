"""The top-level parser: each command module adds its own subcommand."""
import argparse
import sys
from typing import Sequence

from ..errors import exit_on_user_error
from . import datasets_cmd, models_cmd, new_model_cmd, run_cmd, runs_cmd
from . import deploy_cmd, release_artifact_cmd
from . import serve_cmd, smoke_test_cmd, studio_cmd, workspace_cmd

COMMANDS = (run_cmd, models_cmd, runs_cmd, datasets_cmd, new_model_cmd, deploy_cmd,
            release_artifact_cmd, serve_cmd, smoke_test_cmd, studio_cmd, workspace_cmd)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line, with --help at every level."""
    parser = argparse.ArgumentParser(
        prog="python -m shared_code.amltoolbox",
        description="Run model pipelines locally and look into the local workspace "
                    "(datasets, runs, model registry). The workspace is .aml_workspace/ at the "
                    "repository root, or $AML_LOCAL_WORKSPACE.")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        command.add_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Parse and dispatch; user errors end as one line and exit status 2. A command for Azure
    ML SDK v2 started where azure-ai-ml is missing runs again in the v2 environment."""
    args = build_parser().parse_args(argv)
    with exit_on_user_error():
        if getattr(args, "sdk", None) == "v2":
            from ..azure_v2.environment import has_sdk_v2, run_in_v2_environment
            if not has_sdk_v2():
                sys.exit(run_in_v2_environment(
                    "shared_code.amltoolbox", list(sys.argv[1:] if argv is None else argv)))
        sys.exit(args.handler(args) or 0)
