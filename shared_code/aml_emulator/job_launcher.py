"""Start one step's script as Azure ML's job wrapper does:

    python job_launcher.py EMULATED_WORKSPACE SCRIPT [ARGUMENTS...]

In Azure ML a wrapper that is not part of the snapshot starts the script in the snapshot
folder. So here: the emulator is loaded from this folder under a private name, without
putting the repository on sys.path, and the script imports only what its snapshot and
its PYTHONPATH give it, as in Azure ML.
"""
import importlib
import importlib.util
import sys
from pathlib import Path

PRIVATE_PACKAGE = "_azureml_emulator"


def load_step_runtime():
    """The emulator's step_runtime module, loaded from this folder as a private package."""
    folder = Path(__file__).resolve().parent
    spec = importlib.util.spec_from_file_location(PRIVATE_PACKAGE, folder / "__init__.py",
                                                  submodule_search_locations=[str(folder)])
    package = importlib.util.module_from_spec(spec)
    sys.modules[PRIVATE_PACKAGE] = package
    spec.loader.exec_module(package)
    return importlib.import_module(f"{PRIVATE_PACKAGE}.step_runtime")


if __name__ == "__main__":
    del sys.path[0]  # this folder, which python put first; the script gets its own
    sys.exit(load_step_runtime().main(sys.argv[1:]))
