"""Register model_a when evaluate's summary.json says so, with its lineage."""
from pathlib import Path

from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.registration import register_from_summary
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step import run_step

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Obey register_trained_model; tag the run with the outcome."""
    run = get_run_context()
    register_from_summary(run, load_model_config(MODEL_DIR), run.input_datasets["model"],
                          run.input_datasets["model_score"])


if __name__ == "__main__":
    run_step(main)
