"""Inside a step's process: answer the SDK's service calls, then run the script.

As Azure ML's job wrapper does, the script runs as __main__ with its own folder first on
sys.path and the step's arguments in sys.argv; the run's pending metrics are sent when it
ends; the process exits with the script's exit status, from which the runner records
the step as Completed or Failed.
"""
import os
import runpy
import sys
import traceback
from pathlib import Path

from .http_transport import serve
from .service_standins import ROUTES
from .store import REGISTRY_AS_OF_ENV_VAR, EmulatedStore


def run_script(script: Path, arguments: list[str]) -> int:
    """Run `script` as `python script arguments...` would; its exit status."""
    sys.argv = [str(script), *arguments]
    sys.path.insert(0, str(Path(script).resolve().parent))
    try:
        runpy.run_path(str(script), run_name="__main__")
    except SystemExit as end:
        if end.code is None or isinstance(end.code, int):
            return end.code or 0
        print(end.code, file=sys.stderr)
        return 1
    except BaseException:  # pylint: disable=broad-exception-caught  # as python reports it
        traceback.print_exc()
        return 1
    return 0


def flush_run() -> None:
    """Send what the run still holds (metrics are batched), as the job wrapper does at the end."""
    from azureml.core import Run
    Run.get_context().flush()


def main(argv: list[str]) -> int:
    """EMULATED_WORKSPACE SCRIPT [ARGUMENTS...]: the script's exit status."""
    store = EmulatedStore(Path(argv[0]), os.environ.get(REGISTRY_AS_OF_ENV_VAR))
    script, arguments = Path(argv[1]), argv[2:]
    with serve(store, ROUTES):
        status = run_script(script, arguments)
        flush_run()
    sys.stdout.flush()
    return status
