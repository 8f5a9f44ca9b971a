"""A model folder written from the standard's document alone (the tests copy it into a
repository copy as document_model/): its train, evaluate and entry scripts use only the
document's snippets, scikit-learn and pickle; register.py is the shipped one.

Its steps are declared as the document shows them: train -> evaluate -> register.
"""
from pathlib import Path

from shared_code.amltoolbox.cli import pipeline_cli
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.pipeline import Step, output_of, registered

CONFIG = load_model_config(Path(__file__).resolve().parent)


def declare_steps() -> list[Step]:
    """train -> evaluate -> register, reading the registered datasets by name."""
    return [
        Step("train", "train.py",
             inputs={"train_data": registered("regression-document-training-01")},
             outputs=["model"]),
        Step("evaluate", "evaluate.py",
             inputs={"model": output_of("train", "model"),
                     "test_data": registered("regression-document-testing-01")},
             outputs=["model_score"]),
        Step("register", "register.py",
             inputs={"model": output_of("train", "model"),
                     "model_score": output_of("evaluate", "model_score")},
             reuse=False),
    ]


def run_pipeline(argv: list[str] | None = None) -> None:
    """Run the pipeline here (the default) or in Azure ML, as the command line says."""
    pipeline_cli.main(CONFIG, declare_steps(), "document-model", argv)


if __name__ == "__main__":
    run_pipeline()
