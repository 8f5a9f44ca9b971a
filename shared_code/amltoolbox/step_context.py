"""What a script step's main(context) is handed by run_step: the run, the model folder and its
config, and the model registry of where the step runs; a test builds one from any run and
registry (no environment variables, no cached globals to reset)."""
import functools
import types
from pathlib import Path

# Every step process imports this module: it keeps to what a step needs at once (no yaml,
# inspect, dataclasses or typing, about 10 ms a step; the config is read on first use).
_VARIADIC = 0x04 | 0x08  # CO_VARARGS | CO_VARKEYWORDS (inspect's names)


class StepContext:
    """One step's context. `runtime` has `run` and `registry` (run_context.Runtime: the local
    runner's, Azure ML's, or any object with the two); the registry is asked for on first use
    only, so a step that never registers never builds one."""

    def __init__(self, runtime, folder: Path):
        self.runtime, self.folder = runtime, Path(folder)

    def __repr__(self) -> str:
        return f"StepContext(runtime={self.runtime!r}, folder={self.folder!r})"

    @property
    def run(self):
        """The run: input_datasets, output_datasets, log, log_image, tag."""
        return self.runtime.run

    @property
    def registry(self):
        """The model registry of where the step runs (promotion.registry.Registry)."""
        return self.runtime.registry

    @functools.cached_property
    def config(self):
        """The model folder's config (a model_config.ModelConfig: config/model_config.yml,
        register.py's identity)."""
        from .model_config import load_model_config  # pylint: disable=import-outside-toplevel
        return load_model_config(self.folder)


def model_folder_of(main) -> Path:
    """The model folder of a step's main(): the folder above the script_steps/ it is in."""
    if isinstance(main, types.FunctionType):
        return Path(main.__code__.co_filename).resolve().parents[1]
    import inspect  # pylint: disable=import-outside-toplevel  # a callable other than a function
    return Path(inspect.getfile(main)).resolve().parents[1]


def takes_context(main) -> bool:
    """Whether main() takes the context (main(context)) or nothing (main())."""
    if isinstance(main, types.FunctionType):
        code = main.__code__
        return bool(code.co_argcount or code.co_kwonlyargcount or code.co_flags & _VARIADIC)
    import inspect  # pylint: disable=import-outside-toplevel  # a callable other than a function
    return bool(inspect.signature(main).parameters)
