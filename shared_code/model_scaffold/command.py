"""new-model NAME --from MODEL: a new model folder from a copy, ready to run."""
from .new_model import TRAIN_SCRIPTS, create_model


def add_parser(commands) -> None:
    """Add `new-model`."""
    parser = commands.add_parser(
        "new-model", help="create a new model folder from an existing one",
        description="Copy a model folder (without data or outputs) and its tests for a new "
                    "model, renamed throughout: the folder gets an importable name derived "
                    "from NAME; the registered model, experiment and dataset names use NAME. "
                    "Then prints what you should still change.")
    parser.add_argument("name", help="the model's going name, e.g. canal-level-forecasting")
    parser.add_argument("--from", dest="source", required=True, metavar="MODEL",
                        help="the model folder to copy, e.g. model_a")
    parser.add_argument("--train", choices=sorted(TRAIN_SCRIPTS),
                        help="keep one training script, as script_steps/train.py: the one that "
                             "reads a Tabular dataset or the one that reads the files of a File "
                             "dataset (the training dataset's type follows); by default both "
                             "variants are copied")
    parser.set_defaults(handler=_new_model)


def _new_model(args) -> int:
    made = create_model(args.name, args.source, train=args.train)
    folder = made.folder.name
    print(f"created {folder}/ (model '{made.name}') and testing/{folder}/ from {args.source}")
    print(f"  run its pipeline:  tox -e pipeline -- {folder}")
    print(f"  run its tests:     tox -e tests -- testing/{folder}")
    print(f"still to change ({len(made.checklist)} lines: marked should-change, or made too "
          "long by the rename):")
    for item in made.checklist:
        print(f"  {item}")
    return 0
