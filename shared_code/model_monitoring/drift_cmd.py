"""drift MODEL[:VERSION] --input PATH | --dataset NAME[:VERSION] | --requests; the core's
command line loads this module by name when `drift` is chosen."""

HELP = "compare new data with a model version's training data"


def add_parser(commands) -> None:
    """Add `drift`."""
    parser = commands.add_parser(
        "drift", help=HELP,
        description="Compare new data with the training dataset of a registered model version: "
                    "per feature PSI, Kolmogorov-Smirnov, missing and out-of-range rates and "
                    "columns added or missing (tabular models); image size, intensity and blank "
                    "images and the predicted classes (image models). Thresholds: drift: in the "
                    "model's config/model_config.yml. The check is recorded as a run. Exit "
                    "status: 0 no drift, 1 drift, 2 bad input.")
    parser.add_argument("model", metavar="MODEL[:VERSION]",
                        help="the registered model (default: its latest version)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", metavar="PATH",
                        help="a CSV file or folder of CSV files (tabular), a folder of images")
    source.add_argument("--dataset", metavar="NAME[:VERSION]", help="a registered dataset")
    source.add_argument("--requests", action="store_true",
                        help="the requests its local server logged (serve --log-requests)")
    parser.add_argument("--json", action="store_true", help="the report as JSON on stdout")
    parser.add_argument("--plots", metavar="FOLDER",
                        help="also copy the plots of drifted features into FOLDER")
    parser.set_defaults(handler=_drift)


def _drift(args) -> int:
    from .drift_cli import drift_command  # the check's statistics, only when it runs
    return drift_command(args)
