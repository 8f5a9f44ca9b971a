"""runs list / runs show: pipeline runs in the local workspace."""
import json
from pathlib import Path

from ..loading import load
from ..local.runs import RunNotFoundError
from ..local.workspace import LocalWorkspace
from .formatting import (add_paging, past_the_end, print_json, print_json_list, print_table,
                         short_time)

LATEST = "latest"
RUN_PAGE = "shared_code.aml_studio.standalone:write_run_html"  # the studio wing (Flask)


def add_parser(commands) -> None:
    """Add `runs list` and `runs show`."""
    parser = commands.add_parser("runs", help="pipeline runs in the local workspace",
                                 description="Pipeline runs: status, steps, metrics, images.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="the latest runs, newest first",
                                 description="The latest runs, newest first.")
    listing.add_argument("--model", help="only this model's runs (its registered name)")
    add_paging(listing, default_limit=20)
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", help="one run with its steps",
                              description="One run: each step's status, duration, reuse, "
                                          "metrics, images, tags and errors.")
    show.add_argument("run_id", help=f"a run id, or {LATEST} for the newest run")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.add_argument("--html", type=Path, metavar="FILE",
                      help="write the studio's page of the run to FILE, one self-contained "
                           "HTML file (images embedded), e.g. for CI to publish")
    show.set_defaults(handler=_show)
    explain = actions.add_parser("explain", help="why each step of a run ran or was reused",
                                 description="For each step of a run: the parts of its reuse "
                                             "key, and what differs from the run it would "
                                             "otherwise have reused, or which run it reused.")
    explain.add_argument("run_id", help=f"a run id, or {LATEST} for the newest run")
    explain.set_defaults(handler=_explain)


def _list(args) -> int:
    workspace = LocalWorkspace()
    workspace.runs.fail_abandoned_runs()  # a killed runner's run is not shown as Running
    runs = workspace.runs.list(args.model, args.limit, args.offset)
    if args.json:
        print_json_list([json.dumps(r.as_dict(), sort_keys=True, default=str) for r in runs])
        return 0
    print_table(["RUN ID", "MODEL", "STATUS", "STARTED", "ERROR"],
                [[r.id, r.model, r.status, short_time(r.started), r.error or ""] for r in runs],
                empty=past_the_end(args) or "no runs yet (run a pipeline: tox -e pipeline -- "
                                            "model_a)")
    return 0


def _newest_run_id(workspace: LocalWorkspace) -> str:
    newest = workspace.runs.list(limit=1)
    if not newest:
        raise RunNotFoundError(f"no runs yet in the local workspace {workspace.root}: run a "
                               "pipeline first (tox -e pipeline -- model_a)")
    return newest[0].id


def _show(args) -> int:
    workspace = LocalWorkspace()
    workspace.runs.fail_abandoned_runs()
    run_id = _newest_run_id(workspace) if args.run_id == LATEST else args.run_id
    run = workspace.runs.get(run_id)
    if args.html:
        page = load(RUN_PAGE)(workspace, run.id, args.html)
        print(f"wrote the page of run {run.id} to {page}")
        return 0
    if args.json:
        print_json(run.as_dict())
        return 0
    print(f"{run.id}  {run.status}  model {run.model}, experiment {run.experiment}")
    print(f"  started {short_time(run.started)}, ended {short_time(run.ended)}")
    if run.error:
        print(f"  error: {run.error}")
    for key, value in run.properties.items():
        print(f"  {key}: {value}")
    for step in run.steps:
        reused = f" (reused from {step.reused_from})" if step.reused_from else ""
        duration = f"{step.duration:.2f}s" if step.duration is not None else "-"
        print(f"  step {step.step}: {step.status} in {duration}{reused}")
        if step.error:
            print(f"    error: {step.error}")
        for label, values in (("metric", step.metrics), ("tag", step.tags),
                              ("image", step.images), ("output", step.outputs)):
            for key, value in values.items():
                print(f"    {label} {key}: {value}")
    return 0


def _explain(args) -> int:
    from ..local.explain import explain_run, format_explanation  # only when asked for
    workspace = LocalWorkspace()
    run_id = _newest_run_id(workspace) if args.run_id == LATEST else args.run_id
    print("\n".join(format_explanation(explain_run(workspace, run_id))))
    return 0
