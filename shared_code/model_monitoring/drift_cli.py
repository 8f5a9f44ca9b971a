"""drift MODEL[:VERSION] --input PATH | --dataset NAME[:VERSION] | --requests [--json]
[--plots FOLDER]:
a table (or JSON) of each feature, and an exit status a schedule or CI can gate on."""
import shutil
from pathlib import Path

from shared_code.amltoolbox.cli.formatting import print_json, print_table
from shared_code.amltoolbox.local.workspace import LocalWorkspace

from .drift_check import check_drift
from .drift_report import DriftReport

EXIT_NO_DRIFT, EXIT_DRIFT = 0, 1  # bad input: 2, as every UserError


def _number(statistics: dict, key: str, form: str) -> str:
    value = statistics.get(key)
    return "" if value is None else format(value, form)


def print_report(report: DriftReport) -> None:
    """The features as a table, then the verdict in one line."""
    unit = "images" if report.kind == "image" else "rows"
    print(f"{report.model_id}: {report.new_data} ({report.rows} {unit}) against its "
          f"{report.training_data}")
    print_table(["FEATURE", "DRIFT", "PSI", "KS", "KS P", "MISSING", "OUT OF RANGE", "WHY"],
                [[f.feature, "yes" if f.drifted else "no", _number(f.statistics, "psi", ".3f"),
                  _number(f.statistics, "ks_statistic", ".3f"),
                  _number(f.statistics, "ks_pvalue", ".2g"),
                  _number(f.statistics, "missing_rate", ".1%")
                  or _number(f.statistics, "rate", ".1%"),
                  _number(f.statistics, "out_of_range_rate", ".1%"), "; ".join(f.reasons)]
                 for f in report.features], empty="no features compared")
    for line in [*(f"column added: {c}" for c in report.columns_added), *report.notes]:
        print(f"note: {line}")
    drifted = report.drifted_features
    print(f"{report.verdict}: " + (f"{len(drifted)} of {len(report.features)} drifted "
                                   f"({', '.join(drifted)})" if drifted else
                                   f"none of {len(report.features)} features drifted")
          + f"; run {report.run_id}")


def drift_command(args) -> int:
    """Run the check; 0 no drift, 1 drift (2, bad input, comes from the UserError)."""
    workspace = LocalWorkspace()
    try:
        report = check_drift(workspace, args.model, args.input, args.dataset, args.requests)
        if args.plots:
            _copy_plots(workspace, report, Path(args.plots))
    finally:
        workspace.close()
    if args.json:
        print_json(report.as_dict())
    else:
        print_report(report)
    return EXIT_DRIFT if report.drifted_features else EXIT_NO_DRIFT


def _copy_plots(workspace: LocalWorkspace, report: DriftReport, folder: Path) -> None:
    step = workspace.runs.get(report.run_id).steps[0]
    folder.mkdir(parents=True, exist_ok=True)
    for path in step.images.values():
        shutil.copy2(path, folder / Path(path).name)
