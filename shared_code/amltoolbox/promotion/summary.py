"""summary.json, the contract between evaluate (into `model_score`) and register, which
registers the model only when `register_trained_model` is true: it beats the naive baseline
and the champion, by the rule in config/model_config.yml."""
import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model_config import EvaluationRule
from ..errors import UserError

SUMMARY_FILE = "summary.json"
# What stands for the reason of a summary.json that gives none (the standard asks only for
# register_trained_model).
NO_REASON = f"{SUMMARY_FILE} gives no reason"


class SummaryError(UserError):
    """A summary.json that register cannot trust."""


@dataclass
class Champion:
    """The registered model the new one is compared with."""
    id: str
    sha256: str
    metrics: dict | None = None
    error: str | None = None  # why it could not be scored, when it could not


@dataclass
class Baseline:
    """The naive baseline (a model's training mean, majority class, ...) on the test data."""
    description: str
    metrics: dict


@dataclass
class Summary:  # pylint: disable=too-many-instance-attributes  # one per summary.json key
    """What evaluate decided and why."""
    register_trained_model: bool
    reason: str
    metrics: dict
    primary_metric: str
    champion: dict | None = None
    rule: dict = field(default_factory=dict)
    trained_model_sha256: str | None = None
    test_data: dict = field(default_factory=dict)
    baseline: dict | None = None


def _primary(rule: EvaluationRule, metrics: dict, whose: str) -> float:
    name = rule.primary_metric
    if name not in metrics:
        raise SummaryError(f"the evaluation rule's primary metric '{name}' was not computed "
                           f"for {whose} (metrics: {', '.join(metrics)}); fix "
                           "evaluation.primary_metric")
    return metrics[name]


def below_baseline(rule: EvaluationRule, new: float, baseline: Baseline) -> str | None:
    """Why a model scoring `new` is under the quality floor, or None when it is above."""
    name, old = rule.primary_metric, _primary(rule, baseline.metrics, "the baseline")
    if math.isfinite(old) and rule.beats_baseline(new, old):
        return None
    direction = "higher" if rule.greater_is_better else "lower"
    return (f"{name} {new:.4g} does not beat the naive baseline, {baseline.description}, "
            f"whose {name} is {old:.4g} ({direction} is better, minimum improvement "
            f"{rule.min_improvement_over_baseline:g}): a model no better than that is never "
            "registered; check the training data")


def decide(rule: EvaluationRule, metrics: dict, champion: Champion | None,  # pylint: disable=too-many-return-statements
           trained_sha256: str, baseline: Baseline | None = None) -> tuple[bool, str]:
    """Whether to register the trained model, and the reason in words."""
    name = rule.primary_metric
    new = _primary(rule, metrics, "the trained model")
    if not math.isfinite(new):
        return False, f"the trained model's {name} is {new}, not a finite number"
    floor = below_baseline(rule, new, baseline) if baseline is not None else None
    if floor:
        return False, floor
    if champion is None:
        return True, "no registered model yet: the trained model becomes the first version"
    if champion.sha256 == trained_sha256:
        if champion.metrics is None:  # the same model, so its files are what failed
            return True, (f"the trained model is identical to the champion {champion.id}, "
                          f"whose files cannot be used ({champion.error}): registering it "
                          "restores them")
        return False, f"the trained model is identical to the champion {champion.id}"
    if champion.metrics is None:
        return True, (f"the champion {champion.id} could not score the test data "
                      f"({champion.error}); the trained model replaces it")
    old = champion.metrics[name]
    direction = "higher" if rule.greater_is_better else "lower"
    if rule.is_better(new, old):
        return True, (f"{name} {new:.4g} beats the champion {champion.id}'s {old:.4g} "
                      f"({direction} is better, minimum improvement {rule.min_improvement:g})")
    return False, (f"{name} {new:.4g} does not beat the champion {champion.id}'s {old:.4g} "
                   f"({direction} is better, minimum improvement {rule.min_improvement:g})")


def build_summary(rule: EvaluationRule, metrics: dict, champion: Champion | None,  # pylint: disable=too-many-arguments
                  trained_sha256: str, test_data: dict,
                  baseline: Baseline | None = None) -> Summary:
    """The full summary for a trained model evaluated against the baseline and the champion."""
    register, reason = decide(rule, metrics, champion, trained_sha256, baseline)
    return Summary(register_trained_model=register, reason=reason, metrics=metrics,
                   primary_metric=rule.primary_metric,
                   champion=asdict(champion) if champion else None, rule=asdict(rule),
                   trained_model_sha256=trained_sha256, test_data=test_data,
                   baseline=asdict(baseline) if baseline else None)


def write_summary(folder: str | Path, summary: Summary) -> Path:
    """Write summary.json into `folder` (evaluate's model_score output)."""
    path = Path(folder) / SUMMARY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(asdict(summary), indent=2, sort_keys=True), encoding="utf-8")
    return path


def read_summary(folder: str | Path) -> dict:
    """summary.json from `folder`, checked: `register_trained_model` must be a boolean."""
    path = Path(folder) / SUMMARY_FILE
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SummaryError(f"{path} does not exist: the evaluate step writes it "
                           "(script_steps/evaluate.py, into its `model_score` output); it is "
                           "required, with at least register_trained_model") from None
    except json.JSONDecodeError as error:
        raise SummaryError(f"{path} is not valid JSON ({error})") from None
    flag = summary.get("register_trained_model") if isinstance(summary, dict) else None
    if not isinstance(flag, bool):
        raise SummaryError(f"{path}: 'register_trained_model' must be true or false, "
                           f"not {flag!r}; nothing is registered")
    return summary
