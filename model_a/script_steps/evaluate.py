"""Evaluate this model: RMSE, MAE and R² of the trained model, of its naive baseline (the
training mean) and of the champion on test_data."""
from shared_code.amltoolbox import (StepContext, evaluate_against_champion,
                                    input_dataset_versions, log_figure, run_step)
from shared_code.plottingtoolbox.evaluation_plots import predicted_vs_actual

from model_a.model import TARGET_KEY, check_table, make_baseline_scorer, make_scorer


def main(context: StepContext) -> None:
    """Score, compare with the champion, write summary.json, log metrics and a plot."""
    run, config = context.run, context.config
    dataset = run.input_datasets["test_data"]
    test_frame = check_table(dataset.to_pandas_dataframe(), config.training,
                             f"dataset '{dataset.name}' version {dataset.version}")
    evaluation = evaluate_against_champion(
        run, config, run.input_datasets["model"], make_scorer(test_frame, config.training),
        input_dataset_versions(run), context.registry,
        score_baseline=make_baseline_scorer(test_frame, config.training))
    figure = predicted_vs_actual(test_frame[config.training[TARGET_KEY]], evaluation.predictions,
                                 f"{config.model_name}: predicted vs actual (test data)",
                                 evaluation.champion_predictions)
    log_figure(run, "predicted_vs_actual", figure)


if __name__ == "__main__":
    run_step(main)
