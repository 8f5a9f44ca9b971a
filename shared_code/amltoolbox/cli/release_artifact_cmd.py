"""release-artifact MODEL --output PATH: what the CI hands to the CD release."""
from pathlib import Path

from ..deployment.release_artifact import (ReleaseArtifact, latest_registered_version,
                                           write_release_artifact)
from ..model_config import load_model_config
from ..layout import model_folder
from .sdk_v2 import V2, v2_function


def add_parser(commands) -> None:
    """Add `release-artifact`."""
    parser = commands.add_parser(
        "release-artifact",
        help="write the model's latest registered version in Azure ML to registered_model.json",
        description="After the model's Azure ML pipeline ran, write the name and the latest "
                    "version of its registered model (the new model if it beat the champion, "
                    "else the champion) to a JSON file, which the CI publishes for the CD "
                    "release (`deploy --artifact`).")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--output", type=Path, required=True, metavar="PATH",
                        help="the file to write, or a folder to hold registered_model.json")
    parser.add_argument("--sdk", choices=("v1", "v2"), default="v1",
                        help="the SDK the model's pipeline ran with (default v1)")
    parser.set_defaults(handler=_write)


def _write(args) -> int:
    folder = model_folder(args.model)
    name = load_model_config(folder).model_name
    if args.sdk == V2:
        version = v2_function("latest_registered_version")(
            v2_function("workspace_ml_client")(), name)
    else:
        from ..azure.workspace import get_workspace
        version = latest_registered_version(get_workspace(), name)
    path = write_release_artifact(args.output, ReleaseArtifact(folder.name, name, version))
    print(f"{name}:{version} -> {path}")
    return 0
