"""replay RUN_ID STEP [--debug]: one step of a past run (local, or of the Azure ML
emulator), again, on its inputs."""
from ..errors import UserError
from ..loading import load
from ..local.workspace import LocalWorkspace

LATEST = "latest"
# A run of the Azure ML emulator is the emulator wing's to find and replay.
EMULATED_RUN = "shared_code.aml_emulator.replay_target:is_emulated_run"
EMULATED_REPLAY = "shared_code.aml_emulator.replay_target:replay"


def add_parser(commands) -> None:
    """Add `replay`."""
    parser = commands.add_parser(
        "replay", help="run one step of a past run again on exactly the inputs it had",
        description="Run one step of a past run (local, or made by --emulate-azureml) again, "
                    "as a new run linked to it, on "
                    "exactly the inputs it had (dataset versions, earlier steps' outputs, "
                    "arguments, the champion it compared with), with the step's current "
                    "script. The original run is left as it was.")
    parser.add_argument("run_id", help=f"the run whose step to replay (runs list shows them), "
                                       f"or {LATEST}: the newest run that has that step")
    parser.add_argument("step", help="the step's name, e.g. evaluate")
    parser.add_argument("--debug", action="store_true",
                        help="run the step in this process, so a breakpoint() or pdb in it "
                             "stops there")
    parser.set_defaults(handler=_replay)


def _replay(args) -> int:
    from ..local.replay import replay_step  # the runner, only when replaying
    workspace = LocalWorkspace()
    run_id = newest_run_with_step(workspace, args.step) if args.run_id == LATEST else args.run_id
    if load(EMULATED_RUN)(workspace, run_id):
        return load(EMULATED_REPLAY)(workspace, run_id, args.step, args.debug)
    result = replay_step(workspace, run_id, args.step, debug=args.debug)
    return 0 if result.status == "Completed" else 1


def newest_run_with_step(workspace: LocalWorkspace, step: str) -> str:
    """The id of the newest run that has a step called `step` (a drift check or a batch
    scoring is a run too, without the pipeline's steps)."""
    for listed in workspace.runs.list(limit=None):
        if any(record.step == step for record in workspace.runs.get(listed.id).steps):
            return listed.id
    raise UserError(f"no run in the local workspace {workspace.root} has a step '{step}': run "
                    "the model's pipeline first (tox -e pipeline -- MODEL), or name the run")
