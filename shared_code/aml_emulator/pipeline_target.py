"""`python -m MODEL.aml_pipeline --emulate-azureml`: the pipeline under the Azure ML emulator.
The SDK is checked before anything that imports it is loaded."""
import argparse
from typing import Sequence

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.pipeline import Step
from .sdk_check import require_sdk


def run(_args: argparse.Namespace, config: ModelConfig, steps: Sequence[Step],
        experiment_name: str) -> int:
    """Run the pipeline under the emulator; the exit status (0 when it completed)."""
    require_sdk(config.folder.name)
    from .command import run_emulated
    return run_emulated(config, steps, experiment_name)
