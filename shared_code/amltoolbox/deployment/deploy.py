"""Deploy a model folder's registered model to its dev (ACI) or prd (AKS) service; smoke-test it."""
import tempfile
from pathlib import Path

from ..model_config import load_model_config
from ..progress import Report, print_line
from .azure_service import (build_inference_config, compute_type, deploy_service,
                            expect_checksum, registered_model, service_key, service_logs,
                            service_name)
from .deploy_config import load_deployment_config
from .errors import DeploymentError
from .sdk_free import Deployment, deployment_source


def deploy_to_azure(model_folder: Path, env: str, version: int | None = None,
                    name: str | None = None, report: Report = print_line) -> Deployment:
    """Deploy `version` (default: the latest) of the folder's registered model to `env`;
    everything checkable here is checked before the workspace is contacted."""
    model_folder = Path(model_folder)
    config = load_model_config(model_folder)
    deployment_config = load_deployment_config(
        model_folder, env, tags={"model": config.model_name, "environment": env},
        description=config.description)
    name = name or service_name(config.model_name, env)
    with tempfile.TemporaryDirectory(prefix="deployment-source-") as source:
        inference_config = build_inference_config(
            model_folder, config.model_name, deployment_source(model_folder, Path(source)))

        from ..azure.workspace import get_workspace
        workspace = get_workspace()
        model = registered_model(workspace, config.model_name, version)
        expect_checksum(inference_config, model)
        model_id = f"{model.name}:{model.version}"
        report(f"deploying {model_id} as the {env} service {name} "
               f"({compute_type(deployment_config)}) in workspace {workspace.name}")
        service = deploy_service(workspace, name, model, inference_config, deployment_config)
    report(f"scoring URI: {service.scoring_uri}")
    verdict = smoke_test_service(model_folder.name, name, service)
    report(verdict)
    return Deployment(service_name=name, model_id=model_id, scoring_uri=service.scoring_uri,
                      smoke_test=verdict)


def smoke_test_service(model: str, name: str, service) -> str:
    """The serving smoke test against the deployed service, with its key; the verdict."""
    from ..serving.smoke_test import smoke_test
    passed, verdict = smoke_test(model, service.scoring_uri, api_key=service_key(service))
    if not passed:
        raise DeploymentError(f"the service {name} is up but failed the smoke test: {verdict}",
                              details=service_logs(service))
    return verdict
