"""What a script step's main(context) is handed by run_step: the run, the model folder and its
config, and the model registry of where the step runs.

    def main(context: StepContext) -> None:
        train = context.run.input_datasets["train_data"].to_pandas_dataframe()
        params = context.config.training["params"]

run_step resolves the runtime once and builds the context; a test builds one from any run
and registry (no environment variables, no cached globals to reset).
"""
import functools
import inspect
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from .model_config import ModelConfig, load_model_config


@dataclass
class StepContext:
    """One step's context. `runtime` has `run` and `registry` (run_context.Runtime: the local
    runner's, Azure ML's, or any object with the two); the registry is asked for on first use
    only, so a step that never registers never builds one."""
    runtime: Any
    folder: Path

    @property
    def run(self):
        """The run: input_datasets, output_datasets, log, log_image, tag."""
        return self.runtime.run

    @property
    def registry(self):
        """The model registry of where the step runs (promotion.registry.Registry)."""
        return self.runtime.registry

    @functools.cached_property
    def config(self) -> ModelConfig:
        """The model folder's config (config/model_config.yml, register.py's identity)."""
        return load_model_config(self.folder)


def model_folder_of(main: Callable) -> Path:
    """The model folder of a step's main(): the folder above the script_steps/ it is in."""
    return Path(inspect.getfile(main)).resolve().parents[1]


def takes_context(main: Callable) -> bool:
    """Whether main() takes the context (main(context)) or nothing (main())."""
    return bool(inspect.signature(main).parameters)
