"""Evaluate model_a: RMSE, MAE and R² of the trained model and the champion on test_data."""
from pathlib import Path

from shared_code.amltoolbox.promotion.evaluation import evaluate_against_champion, log_figure
from shared_code.amltoolbox.promotion.lineage import input_dataset_versions
from shared_code.amltoolbox.model_config import load_model_config
from shared_code.amltoolbox.model_io import load_model
from shared_code.amltoolbox.run_context import get_run_context
from shared_code.amltoolbox.step_main import run_step
from shared_code.plottingtoolbox.evaluation_plots import predicted_vs_actual
from shared_code.tabular_utils.frames import check_frame
from shared_code.tabular_utils.regression_metrics import regression_metrics

MODEL_DIR = Path(__file__).resolve().parents[1]


def make_scorer(test_frame, features, target):
    """score(model_dir) -> (metrics, predictions) on the checked test table."""
    def score(model_dir: Path):
        model, _ = load_model(model_dir)
        predictions = model.predict(test_frame[features])
        return regression_metrics(test_frame[target], predictions), predictions
    return score


def main() -> None:
    """Score, compare with the champion, write summary.json, log metrics and a plot."""
    run = get_run_context()
    config = load_model_config(MODEL_DIR)
    features, target = config.training["features"], config.training["target"]
    dataset = run.input_datasets["test_data"]
    test_frame = check_frame(dataset.to_pandas_dataframe(), features, target,
                             f"dataset '{dataset.name}' version {dataset.version}")
    evaluation = evaluate_against_champion(
        run, config, run.input_datasets["model"], make_scorer(test_frame, features, target),
        input_dataset_versions(run))
    figure = predicted_vs_actual(test_frame[target], evaluation.predictions,
                                 f"{config.model_name}: predicted vs actual (test data)",
                                 evaluation.champion_predictions)
    log_figure(run, "predicted_vs_actual", figure)


if __name__ == "__main__":
    run_step(main)
