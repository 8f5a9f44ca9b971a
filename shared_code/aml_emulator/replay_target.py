"""`replay RUN_ID STEP [--debug]` for a run of the emulator: found in the local workspace's
emulated Azure ML workspace without importing the SDK, then replayed (replay.py)."""
import json
from pathlib import Path

from .sdk_check import require_sdk
from .store import RUNS, EmulatedStore, emulated_workspace_dir


def _record(local_workspace, run_id: str) -> Path:
    return emulated_workspace_dir(local_workspace) / RUNS / f"{run_id}.json"


def is_emulated_run(local_workspace, run_id: str) -> bool:
    """Whether `run_id` is a run of the local workspace's emulated Azure ML workspace."""
    return _record(local_workspace, run_id).is_file()


def replay(local_workspace, run_id: str, step: str, debug: bool) -> int:
    """Replay step `step` of emulated run `run_id`; the exit status (0: the step completed)."""
    record = json.loads(_record(local_workspace, run_id).read_text(encoding="utf-8"))
    require_sdk(record["experiment_name"])
    from .replay import replay_emulated_step
    replayed = replay_emulated_step(EmulatedStore(emulated_workspace_dir(local_workspace)),
                                    run_id, step, debug)
    return 0 if replayed.result.succeeded else 1
