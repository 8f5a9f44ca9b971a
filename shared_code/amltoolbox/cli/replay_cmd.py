"""replay RUN_ID STEP [--debug]: one step of a past local run, again, on its inputs."""
from ..local.workspace import LocalWorkspace


def add_parser(commands) -> None:
    """Add `replay`."""
    parser = commands.add_parser(
        "replay", help="run one step of a past run again on exactly the inputs it had",
        description="Run one step of a past local run again, as a new run linked to it, on "
                    "exactly the inputs it had (dataset versions, earlier steps' outputs, "
                    "arguments, the champion it compared with), with the step's current "
                    "script. The original run is left as it was.")
    parser.add_argument("run_id", help="the run whose step to replay (runs list shows them)")
    parser.add_argument("step", help="the step's name, e.g. evaluate")
    parser.add_argument("--debug", action="store_true",
                        help="run the step in this process, so a breakpoint() or pdb in it "
                             "stops there")
    parser.set_defaults(handler=_replay)


def _replay(args) -> int:
    from ..local.replay import replay_step  # the runner, only when replaying
    result = replay_step(LocalWorkspace(), args.run_id, args.step, debug=args.debug)
    return 0 if result.status == "Completed" else 1
