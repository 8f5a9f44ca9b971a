"""score MODEL[:VERSION]: a registered model over a file, a folder or a registered dataset;
the core's command line loads this module by name when `score` is chosen."""
from pathlib import Path

from shared_code.amltoolbox.cli.arguments import LARGEST_INTEGER, whole_number, worker_count
from shared_code.amltoolbox.layout import model_folder
from shared_code.amltoolbox.own_code import check_own_code

HELP = "score a file, a folder or a registered dataset with a registered model, in batch"
chunk_rows = whole_number("number of rows", 1, 10_000_000, "the model's serving.max_rows at most")
reject_limit = whole_number("number of rejects", 0, LARGEST_INTEGER, "0 stops at the first")


def add_parser(commands) -> None:
    """Add `score`."""
    parser = commands.add_parser(
        "score", help=HELP,
        description="Score every row of a CSV or Parquet file, or every image of a folder, "
                    "with a model folder's registered model and its config/entry_script.py "
                    "(init() once per worker, run() per chunk, as the scoring service answers). "
                    "The answers go to --output (CSV, or Parquet by its suffix), one line per "
                    "row or file; rejected ones to <output>.rejects.csv. Recorded as a run.")
    parser.add_argument("model", metavar="MODEL[:VERSION]",
                        help="the model folder, e.g. model_a, and the registered version "
                             "(default: the latest)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--input", type=Path, metavar="PATH",
                        help="a .csv or .parquet file, a folder of them, or a folder of images")
    source.add_argument("--dataset", metavar="NAME[:VERSION]",
                        help="a dataset registered in the local workspace (default: its latest)")
    parser.add_argument("--output", type=Path, required=True, metavar="FILE",
                        help="where the answers go: a .csv or .parquet file")
    parser.add_argument("--workers", type=worker_count,
                        help="scoring processes, each with its own init() (default: one per core)")
    parser.add_argument("--max-rejects", type=reject_limit, metavar="N",
                        help="stop, writing no output, once more than N rows or files are "
                             "rejected (default: no limit)")
    parser.add_argument("--chunk-rows", type=chunk_rows, metavar="N",
                        help="rows or files per run() call (default: 10,000, or the model's "
                             "serving.max_rows when smaller)")
    parser.set_defaults(handler=_score)


def _score(args) -> int:
    check_own_code(model_folder(args.model.split(":")[0]))  # its entry script is what scores
    from .batch_command import score_command  # pandas and the workers, only when scoring
    score_command(args.model, args.output, input_path=args.input, dataset=args.dataset,
                  workers=args.workers, chunk_rows=args.chunk_rows, max_rejects=args.max_rejects)
    return 0
