"""Whether the Azure ML SDK the emulator runs is importable here, checked without importing it."""
import importlib.util

from shared_code.amltoolbox.azure_settings import AzureSetupError

# What the emulator and the model's steps import in Azure ML.
SDK_PACKAGES = {"azureml.core": "azureml-core", "azureml.pipeline.core": "azureml-pipeline-core",
                "azureml.pipeline.steps": "azureml-pipeline-steps",
                "azureml.dataprep": "azureml-dataset-runtime"}


def _importable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def require_sdk(model: str) -> None:
    """Raise AzureSetupError, in one line, when the SDK is not installed in this Python."""
    missing = [package for module, package in SDK_PACKAGES.items() if not _importable(module)]
    if missing:
        raise AzureSetupError(
            f"--emulate-azureml runs the Azure ML SDK, and {', '.join(missing)} "
            f"{'is' if len(missing) == 1 else 'are'} not installed in this Python: use the tox "
            f"environment, which has it: tox -e pipeline -- {model} --emulate-azureml")
