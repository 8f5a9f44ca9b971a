"""models list / models show / models card: the local model registry."""
import sys

from ..loading import load
from ..local.models import model_problem
from ..local.model_checks import latest_checks
from ..local.workspace import LocalWorkspace
from .arguments import version_number
from .formatting import (add_paging, past_the_end, print_json, print_json_list, print_table,
                         short_time)

CARD_COMMAND = "shared_code.model_monitoring.card_cli:card_command"


def add_parser(commands) -> None:
    """Add `models list`, `models show` and `models card`."""
    parser = commands.add_parser("models", help="the local model registry",
                                 description="Registered models in the local workspace.")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every registered model version",
                                 description="Every registered model version, oldest first.")
    listing.add_argument("--name", help="only this model")
    listing.add_argument("--json", action="store_true",
                         help="a JSON list of objects (name, version, sha256, tags, created, ...)")
    add_paging(listing, default_limit=None)
    listing.set_defaults(handler=_list)
    show = actions.add_parser("show", help="one model version in full",
                              description="One registered model version: tags, properties, "
                                          "lineage, checksum and files.")
    show.add_argument("name")
    show.add_argument("--version", type=version_number, help="the version (default: the latest)")
    show.add_argument("--json", action="store_true", help="as JSON")
    show.set_defaults(handler=_show)
    card = actions.add_parser("card", help="the model card of one version",
                              description="A version's model card, from what was recorded: "
                                          "documentation, datasets, evaluation, schema, "
                                          "environment, code version. Markdown on stdout "
                                          "unless --html or --md names a file.")
    card.add_argument("model", metavar="NAME[:VERSION]", help="the model (default: latest)")
    output = card.add_mutually_exclusive_group()
    output.add_argument("--html", metavar="FILE", help="write the card as one HTML file")
    output.add_argument("--md", metavar="FILE", help="write the card as a Markdown file")
    card.set_defaults(handler=_card)


def _list(args) -> int:
    if args.json:
        print_json_list(LocalWorkspace().models.list_as_json(args.name, args.limit, args.offset))
        return 0
    models = LocalWorkspace().models.list(args.name, args.limit, args.offset)
    print_table(["NAME", "VERSION", "CREATED", "SHA256", "TAGS"],
                [[m.name, m.version, short_time(m.created), m.sha256[:12],
                  ", ".join(f"{k}={v}" for k, v in m.tags.items())] for m in models],
                empty=past_the_end(args) or "no registered models (run a pipeline: tox -e "
                                            "pipeline -- model_a)")
    return 0


def _show(args) -> int:
    workspace = LocalWorkspace()
    model = workspace.models.get(args.name, args.version)
    scoring_runs = workspace.runs.using_model(model.id)
    problem = model_problem(model)  # files missing or changed: say so, whatever else is shown
    if problem:
        print(f"warning: {problem}; this version cannot be served or compared with. "
              "Register the model again (run its pipeline with --no-reuse).", file=sys.stderr)
    checks = latest_checks(workspace.store, model.id)
    if args.json:
        print_json({**model.as_dict(), "problem": problem,
                    "checks": [vars(check) for check in checks],
                    "scoring_runs": [run.id for run in scoring_runs]})
        return 0
    print(f"{model.id}  registered {short_time(model.created)} by run {model.run_id}")
    print(f"  description: {model.description}")
    print(f"  sha256:      {model.sha256}")
    print(f"  files:       {model.path}")
    for label, values in (("tags", model.tags), ("properties", model.properties),
                          ("lineage", model.lineage)):
        print(f"  {label}:")
        for key, value in values.items():
            print(f"    {key}: {value}")
    for check in checks:
        print(f"  latest {check.kind} check: {check.verdict} ({short_time(check.started)}, "
              f"run {check.run_id})")
    if scoring_runs:
        print("  scored by (runs show RUN_ID):")
        for run in scoring_runs:
            print(f"    {run.id}  {run.experiment}  {run.status}  {short_time(run.started)}")
    return 0


def _card(args) -> int:
    # The model card is made by shared_code/model_monitoring, a package beside the core:
    # imported only when asked for.
    return load(CARD_COMMAND)(args)
