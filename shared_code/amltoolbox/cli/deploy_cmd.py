"""deploy MODEL --env dev|prd|local: a registered model as a web service."""
from pathlib import Path

from ..deployment.deploy import deploy_to_azure
from ..deployment.release_artifact import read_release_artifact, version_for
from ..errors import UserError
from ..model_config import load_model_config
from ..layout import model_folder
from ..loading import load
from ..own_code import check_own_code
from ..serving.local_server import DEFAULT_PORT, serve_model
from .arguments import port_number, version_number
from .sdk_v2 import V2, v2_function

# The batch scoring wing's v2 batch deployment, loaded when --batch asks for it.
BATCH_DEPLOYMENT = "shared_code.batch_scoring.azure_v2_batch:deploy_batch"


def add_parser(commands) -> None:
    """Add `deploy`."""
    parser = commands.add_parser(
        "deploy", help="deploy a registered model: dev (ACI), prd (AKS) or local",
        description="dev and prd: deploy the model registered in the Azure ML workspace as "
                    "config/inference_config.yml (entry script, conda file) and "
                    "config/deployment_config_<env>.yml say; create or replace the web "
                    "service, wait for it, print its scoring URI and smoke-test it. local: "
                    "serve the model from the local registry, as `tox -e serve` does.")
    parser.add_argument("model", help="the model folder, e.g. model_a")
    parser.add_argument("--env", choices=("dev", "prd", "local"),
                        help="where to deploy (required, but with --batch)")
    version = parser.add_mutually_exclusive_group()
    version.add_argument("--version", type=version_number,
                         help="the registered version (default: the latest)")
    version.add_argument("--artifact", type=Path, metavar="FILE",
                         help="registered_model.json published by the model's CI: deploy the "
                              "version it names (the CD release does this)")
    parser.add_argument("--service-name",
                        help="dev/prd: the web service's name (default: the model's name and "
                             "the env, e.g. model-a-dev)")
    parser.add_argument("--sdk", choices=("v1", "v2"), default="v1",
                        help="dev/prd: a v1 web service (ACI, AKS; the default) or a v2 online "
                             "endpoint from config/online_endpoint_<env>.yml and "
                             "config/online_deployment_<env>.yml")
    parser.add_argument("--batch", action="store_true",
                        help="with --sdk v2: a batch endpoint and deployment from "
                             "config/batch_endpoint.yml and config/batch_deployment.yml, "
                             "scoring with config/entry_script.py (shared_code/batch_scoring)")
    parser.add_argument("--port", type=port_number, default=DEFAULT_PORT,
                        help=f"local: the port on 127.0.0.1 (default {DEFAULT_PORT})")
    parser.set_defaults(handler=_deploy)


def _deploy(args) -> int:
    folder = model_folder(args.model)
    check_own_code(folder)
    version = args.version
    if args.artifact is not None:
        version = version_for(read_release_artifact(args.artifact),
                              load_model_config(folder).model_name)
    if args.batch:
        if args.sdk != "v2" or args.env:
            raise UserError("--batch goes with --sdk v2 and no --env (on SDK v1, batch scoring "
                            f"is a pipeline: python -m {folder.name}.aml_pipeline --batch "
                            "--submit)")
        load(BATCH_DEPLOYMENT)(folder, version)
        return 0
    if args.env is None:
        raise UserError("deploy needs --env dev, prd or local (or --batch --sdk v2)")
    if args.env == "local":
        return serve_model(folder.name, version=version, port=args.port)
    if args.sdk == V2:
        if args.service_name:
            raise UserError("--service-name goes with --sdk v1; a v2 endpoint is named in "
                            f"{folder.name}/config/online_endpoint_{args.env}.yml")
        v2_function("deploy_online")(folder, args.env, version)
        return 0
    deploy_to_azure(folder, args.env, version, args.service_name)
    return 0
