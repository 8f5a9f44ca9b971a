"""A step's job in this process, for a replay's --debug: a breakpoint() or pdb in the step's
script stops on this terminal.

The job is laid out as in its own process (its snapshot copy as working directory, its
data folders, its environment); the script runs as step_runtime runs it, with the emulated
service answering in this process. What the job changes of the process (environment,
working directory, sys.argv, sys.path, __main__, the cached run context, the modules
imported from its snapshot copy) is put back.
"""
import os
import sys
from pathlib import Path

from shared_code.amltoolbox import run_context
from .http_transport import serve
from .service_standins import ROUTES
from .step_runtime import flush_run, run_script
from .store import REGISTRY_AS_OF_ENV_VAR, EmulatedStore


def run_job_here(store_root: Path, working_directory: Path, script_and_arguments: list[str],  # pylint: disable=too-many-arguments
                 environment: dict, log: Path) -> int:
    """Run the job's script (`script_and_arguments`, the script relative to
    `working_directory`) here; its exit status. Its log says where its output went."""
    saved = (dict(os.environ), os.getcwd(), list(sys.argv), list(sys.path),
             sys.modules.get("__main__"))
    log.parent.mkdir(parents=True, exist_ok=True)
    log.write_text("(--debug: the step ran in the replaying process; its output went to "
                   "that terminal)\n", encoding="utf-8")
    os.environ.clear()
    os.environ.update(environment)
    os.chdir(working_directory)
    sys.path.insert(0, str(working_directory))  # the job's PYTHONPATH=.: its snapshot root
    run_context.current_runtime.cache_clear()
    try:
        store = EmulatedStore(store_root, environment.get(REGISTRY_AS_OF_ENV_VAR))
        with serve(store, ROUTES):
            status = run_script(Path(script_and_arguments[0]), script_and_arguments[1:])
            flush_run()
        return status
    finally:
        os.environ.clear()
        os.environ.update(saved[0])
        os.chdir(saved[1])
        sys.argv[:], sys.path[:] = saved[2], saved[3]
        if saved[4] is not None:
            sys.modules["__main__"] = saved[4]
        _forget_modules_of(Path(working_directory))
        run_context.current_runtime.cache_clear()


def _forget_modules_of(folder: Path) -> None:
    """Drop the modules imported from the job's snapshot copy, which is removed once the job
    ends: a later import finds them where they are."""
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if file and Path(file).is_relative_to(folder):
            del sys.modules[name]
