"""How the local runner starts a script step: `python .../step_launcher.py SCRIPT [ARG ...]`
runs SCRIPT as `python SCRIPT ARG ...` would, except that once the script imports azureml,
`Run.get_context()` returns the local run, so the standard's snippets work as written.

A script that never imports azureml pays nothing. For start-up time, the finder and loader
do not derive from importlib.abc (30 ms: it loads importlib.resources), and the script runs
without runpy (which would load runpy, pkgutil and importlib.util into every step).
"""
import importlib.machinery
import os
import sys
import types

AZUREML_RUN_MODULE = "azureml.core.run"


def _local_get_context(cls, allow_offline=True, used_for_context_manager=False,  # pylint: disable=unused-argument
                       **kwargs):
    """Run.get_context() under the local runner: the step's LocalRun."""
    from shared_code.amltoolbox.run_context import get_run_context  # run as a file: no package
    return get_run_context()


class _GetContextPatcher:
    """Loads azureml.core.run as its own loader does, then points Run.get_context at the
    local run (azureml/core/run.py: Run.get_context would give an _OfflineRun here)."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        """As azureml.core.run's own loader creates it."""
        return self.loader.create_module(spec)

    def exec_module(self, module):
        """Run the module's code, then point Run.get_context at the local run."""
        self.loader.exec_module(module)
        module.Run.get_context = classmethod(_local_get_context)


class _LocalRunContextFinder:  # pylint: disable=too-few-public-methods  # a meta path finder
    """Finds azureml.core.run where Python would, with _GetContextPatcher as its loader."""

    def find_spec(self, fullname, path, target=None):
        """azureml.core.run's spec with the patching loader; None for every other module."""
        if fullname != AZUREML_RUN_MODULE:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path, target)
        if spec is not None and spec.loader is not None:
            spec.loader = _GetContextPatcher(spec.loader)
        return spec


def launch(script: str, arguments: list[str]) -> None:
    """Run `script` as __main__ with `arguments`, as `python script arguments...` would."""
    sys.argv = [script, *arguments]
    sys.path[0] = os.path.dirname(os.path.realpath(script))
    sys.meta_path.insert(0, _LocalRunContextFinder())
    with open(script, "rb") as source:  # bytes: compile() honours an encoding declaration
        code = compile(source.read(), script, "exec", dont_inherit=True)
    main = types.ModuleType("__main__")
    main.__file__ = script
    main.__builtins__ = __builtins__
    sys.modules["__main__"] = main
    exec(code, main.__dict__)  # pylint: disable=exec-used  # what `python SCRIPT` does


if __name__ == "__main__":
    launch(sys.argv[1], sys.argv[2:])
