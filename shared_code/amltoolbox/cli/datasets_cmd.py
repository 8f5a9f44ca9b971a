"""datasets list / datasets register: registered datasets, locally or in Azure ML."""
from pathlib import Path

from ..errors import UserError
from ..loading import load
from ..local.dataset_sources import dataset_files
from ..local.workspace import LocalWorkspace
from ..model_config import DESCRIPTION_FIELDS, DatasetSpec
from ..naming import check_dataset_name
from ..paths import workspace_root
from ..pipeline import DATASET_TYPES
from .formatting import print_json, print_table, short_time
from .sdk_v2 import V2, v2_function

LOCAL, AZUREML = "local", "azureml"
TARGETS = (LOCAL, AZUREML)
SDKS = ("v1", "v2")
# SDK v1's registration in Azure ML, a function of the SDK v1 wing loaded when chosen.
REGISTER_IN_AZURE = "shared_code.aml_sdk_v1.datasets:register_and_report"


def add_parser(commands) -> None:
    """Add `datasets list` and `datasets register`."""
    parser = commands.add_parser(
        "datasets", help="registered datasets",
        description="Datasets registered in the local workspace (or in Azure ML: "
                    "datasets register --target azureml).")
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="every registered dataset version",
                                 description="Every registered dataset version.")
    listing.add_argument("--json", action="store_true", help="as JSON")
    listing.set_defaults(handler=_list)
    register = actions.add_parser(
        "register", help="register a file or folder as a dataset",
        description="Register a file or folder as a Tabular (CSV) or File dataset, in the "
                    "local workspace or (--target azureml) in the Azure ML workspace, whose "
                    "default datastore receives the files. The name must follow "
                    "modeltype-project-usage-version; registering a name again makes a new "
                    "version (unless the content is unchanged).")
    register.add_argument("name", help="e.g. regression-diabetes-training-01")
    register.add_argument("--type", required=True, choices=DATASET_TYPES)
    register.add_argument("--path", required=True, type=Path, help="the file or folder")
    for field_name in DESCRIPTION_FIELDS:
        register.add_argument(f"--{field_name.replace('_', '-')}", required=True,
                              help=f"description: {field_name.replace('_', ' ')}")
    register.add_argument("--tag", action="append", default=[], metavar="KEY=VALUE")
    register.add_argument("--target", choices=TARGETS, default=LOCAL,
                          help="where to register: the local workspace (the default) or the "
                               "Azure ML workspace (config.json or AZUREML_* variables)")
    register.add_argument("--sdk", choices=SDKS, default=SDKS[0],
                          help="with --target azureml: a v1 dataset (the default) or a v2 data "
                               "asset (mltable for tabular, uri_folder for file)")
    register.set_defaults(handler=_register)


def _list(args) -> int:
    datasets = LocalWorkspace().datasets.list()
    if args.json:
        print_json([{**vars(d), "path": str(d.path)} for d in datasets])
        return 0
    print_table(["NAME", "VERSION", "TYPE", "FILES", "CREATED", "SHA256"],
                [[d.name, d.version, d.type, d.files, short_time(d.created), d.content_sha256[:12]]
                 for d in datasets],
                empty="no registered datasets (a pipeline run registers its own on first use)")
    return 0


def parse_tags(pairs: list[str]) -> dict[str, str]:
    """KEY=VALUE pairs as a dict; a pair without '=' is an error saying so."""
    tags = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UserError(f"tag '{pair}' is not KEY=VALUE")
        tags[key] = value
    return tags


def spec_from_args(args) -> DatasetSpec:
    """The dataset described on the command line, its name and files checked before anything
    is copied."""
    check_dataset_name(args.name)
    dataset_files(args.path, args.name, workspace_root())
    return DatasetSpec(name=args.name, type=args.type, path=str(args.path),
                       description={f: getattr(args, f) for f in DESCRIPTION_FIELDS},
                       tags=parse_tags(args.tag))


def _register(args) -> int:
    spec = spec_from_args(args)
    if args.sdk == V2:
        if args.target != AZUREML:
            raise UserError("--sdk v2 goes with --target azureml")
        return v2_function("register_dataset")(spec)
    if args.target == AZUREML:
        return load(REGISTER_IN_AZURE)(spec)
    record, new = LocalWorkspace().datasets.register(spec.name, spec.type, Path(spec.path),
                                                     spec.description_text(), spec.tags)
    print(f"{'registered' if new else 'unchanged, already registered as'} {record.id} "
          f"({record.type}, {record.files} files)")
    return 0
