"""Evaluate this model: RMSE, MAE and R² of the trained model, of its naive baseline (the
training mean) and of the champion on test_data."""
from pathlib import Path

from shared_code.amltoolbox import (evaluate_against_champion, get_run_context,
                                    input_dataset_versions, load_model_config, log_figure,
                                    run_step)
from shared_code.plottingtoolbox.evaluation_plots import predicted_vs_actual

from model_a.model import TARGET_KEY, check_table, make_baseline_scorer, make_scorer

MODEL_DIR = Path(__file__).resolve().parents[1]


def main() -> None:
    """Score, compare with the champion, write summary.json, log metrics and a plot."""
    run = get_run_context()
    config = load_model_config(MODEL_DIR)
    dataset = run.input_datasets["test_data"]
    test_frame = check_table(dataset.to_pandas_dataframe(), config.training,
                             f"dataset '{dataset.name}' version {dataset.version}")
    evaluation = evaluate_against_champion(
        run, config, run.input_datasets["model"], make_scorer(test_frame, config.training),
        input_dataset_versions(run),
        score_baseline=make_baseline_scorer(test_frame, config.training))
    figure = predicted_vs_actual(test_frame[config.training[TARGET_KEY]], evaluation.predictions,
                                 f"{config.model_name}: predicted vs actual (test data)",
                                 evaluation.champion_predictions)
    log_figure(run, "predicted_vs_actual", figure)


if __name__ == "__main__":
    run_step(main)
