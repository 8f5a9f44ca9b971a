"""workspace check: is the local workspace what its index says?"""
from ..local.workspace_check import workspace_problems
from ..local.workspace import LocalWorkspace

EXIT_PROBLEMS = 1


def add_parser(commands) -> None:
    """Add `workspace check`."""
    parser = commands.add_parser("workspace", help="the local workspace itself",
                                 description="The local workspace folder and its index.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check", help="check the index, every registered file and the runs",
        description="Check the local workspace: SQLite's integrity check of its index, every "
                    "registered model's and dataset's files against the sha256 recorded at "
                    "registration, and runs left Running by a runner that has ended. Lists "
                    "what is wrong; exits 1 when anything is (2 when the index cannot be read).")
    check.set_defaults(handler=_check)


def _check(args) -> int:  # pylint: disable=unused-argument
    workspace = LocalWorkspace()
    try:
        problems, counted = workspace_problems(workspace)
    finally:
        workspace.close()
    checked = ", ".join(f"{count} {kind}" for kind, count in counted.items())
    for problem in problems:
        print(f"problem: {problem}")
    verdict = f"{len(problems)} problem(s)" if problems else "ok"
    print(f"workspace {workspace.root}: {verdict} (index, {checked}, runs)")
    return EXIT_PROBLEMS if problems else 0
