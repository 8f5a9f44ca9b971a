"""Register model_a when evaluate's summary.json says so, with its lineage."""
from pathlib import Path

from shared_code.amltoolbox.promotion.registration import register_step
from shared_code.amltoolbox.step_main import run_step

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Obey register_trained_model; tag the run with the outcome."""
    register_step(MODEL_DIR)


if __name__ == "__main__":
    run_step(main)
