"""What evaluate.py does for every model: score the trained model, its naive baseline and the
champion on the same test data, decide, write summary.json and log the metrics."""
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..hashing import tree_sha256
from ..model_config import ModelConfig
from ..model_io import ModelInfoMissing
from .registry import ChampionModel, Registry
from .summary import Baseline, Champion, Summary, build_summary, write_summary

# score(model_dir) -> (metrics, predictions): the model-specific part of evaluation.
Scorer = Callable[[Path], tuple[dict, Any]]
# score_baseline(model_dir) -> (metrics, description): the naive baseline of the model in
# model_dir (its training mean, its majority class, ...), scored on the same test data; it
# raises ModelInfoMissing when the model's (optional) model_info.json does not give it.
BaselineScorer = Callable[[Path], tuple[dict, str]]


@dataclass
class Evaluation:
    """The summary written, and the predictions behind it (for plots)."""
    summary: Summary
    predictions: Any
    champion_predictions: Any = None


def evaluate_against_champion(run, config: ModelConfig, model_dir: str | Path, score: Scorer,  # pylint: disable=too-many-arguments
                              test_data: dict, registry: Registry,
                              score_baseline: BaselineScorer | None = None) -> Evaluation:
    """Score the trained model, its baseline and the champion (from `registry`), write
    summary.json into `model_score`, log the metrics.

    A model whose model_info.json does not give its baseline is held to no quality floor,
    and the step says so in one line.
    """
    model_dir = Path(model_dir)
    metrics, predictions = score(model_dir)
    baseline = _score_baseline(score_baseline, model_dir)
    champion, champion_predictions = _score_champion(
        registry.find_champion(config.model_name), score)
    summary = build_summary(config.evaluation, metrics, champion, tree_sha256(model_dir),
                            test_data, baseline)
    write_summary(run.output_datasets["model_score"], summary)
    for name, value in metrics.items():
        run.log(name, value)
    if baseline is not None:  # its primary metric: the floor the trained model was held to
        primary = config.evaluation.primary_metric
        run.log(f"baseline_{primary}", baseline.metrics.get(primary))
    for name, value in ((champion.metrics or {}) if champion else {}).items():
        run.log(f"champion_{name}", value)
    run.tag("register_trained_model", str(summary.register_trained_model))
    run.tag("reason", summary.reason)
    print(f"register_trained_model={summary.register_trained_model}: {summary.reason}")
    return Evaluation(summary, predictions, champion_predictions)


def _score_baseline(score_baseline: BaselineScorer | None, model_dir: Path) -> Baseline | None:
    if score_baseline is None:
        return None
    try:
        metrics, description = score_baseline(model_dir)
    except ModelInfoMissing as missing:
        print(f"no baseline, so no quality floor: {missing}")
        return None
    return Baseline(description, metrics)


def _score_champion(found: ChampionModel | None, score: Scorer) -> tuple[Champion | None, Any]:
    """The champion with its metrics and predictions; without them, and why, when its files
    cannot be used or cannot score the test data."""
    if found is None:
        return None, None
    if found.problem:
        print(f"the champion {found.id} is not used: {found.problem}")
        return Champion(found.id, found.sha256, None, found.problem), None
    try:
        metrics, predictions = score(found.path)
    except Exception as error:  # pylint: disable=broad-exception-caught
        # A champion trained on other features cannot score today's data; say so.
        return Champion(found.id, found.sha256, None, f"{type(error).__name__}: {error}"), None
    return Champion(found.id, found.sha256, metrics), predictions


def log_figure(run, name: str, figure) -> None:
    """Log a matplotlib figure as an image of the run (AML's run page, or the local run's
    images/), then free it."""
    import matplotlib.pyplot as plt
    run.log_image(name, plot=figure)
    plt.close(figure)
