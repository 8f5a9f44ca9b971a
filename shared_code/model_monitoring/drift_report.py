"""The outcome of a drift check: each feature's statistics and why it drifted, if it did."""
from dataclasses import asdict, dataclass, field

import numpy as np

from .drift_config import DriftThresholds
from .streaming_stats import ColumnAccumulator

DRIFT, NO_DRIFT = "drift", "no drift"


@dataclass
class Distribution:
    """The shares of the training data and of the new data in the same bins (for a plot)."""
    labels: list[str]
    training: list[float]
    new: list[float]


@dataclass
class FeatureDrift:
    """One feature (a column, or an image statistic) and the tests it failed."""
    feature: str
    statistics: dict[str, float] = field(default_factory=dict)
    reasons: list[str] = field(default_factory=list)
    distribution: Distribution | None = None

    @property
    def drifted(self) -> bool:
        """Whether any test failed."""
        return bool(self.reasons)


@dataclass
class DriftReport:  # pylint: disable=too-many-instance-attributes  # what a check reports
    """A drift check of new data against a model version's training dataset."""
    model_id: str
    training_data: str
    new_data: str
    kind: str                      # tabular or image
    rows: int
    thresholds: DriftThresholds
    features: list[FeatureDrift]
    columns_added: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    run_id: str | None = None

    @property
    def drifted_features(self) -> list[str]:
        """The features that drifted."""
        return [f.feature for f in self.features if f.drifted]

    @property
    def verdict(self) -> str:
        """'drift' when any feature drifted, else 'no drift'."""
        return DRIFT if self.drifted_features else NO_DRIFT

    def as_dict(self) -> dict:
        """A JSON-ready view (what --json prints and the run keeps)."""
        return {"model": self.model_id, "training_data": self.training_data,
                "new_data": self.new_data, "kind": self.kind, "rows": self.rows,
                "verdict": self.verdict, "drifted_features": self.drifted_features,
                "features": [{"feature": f.feature, "drifted": f.drifted,
                              "statistics": f.statistics, "reasons": f.reasons}
                             for f in self.features],
                "columns_added": self.columns_added, "thresholds": asdict(self.thresholds),
                "notes": self.notes, "run_id": self.run_id}


def _edge(value: float) -> str:
    return f"{value:.4g}"


def bin_labels(edges: np.ndarray) -> list[str]:
    """The PSI bins' labels: below the first edge, between edges, from the last edge."""
    if edges.size == 0:
        return ["all values"]
    inner = [f"{_edge(lo)}-{_edge(hi)}" for lo, hi in zip(edges[:-1], edges[1:])]
    return [f"<{_edge(edges[0])}", *inner, f">={_edge(edges[-1])}"]


def numeric_drift(name: str, counts: ColumnAccumulator, thresholds: DriftThresholds
                  ) -> FeatureDrift:
    """A numeric feature's statistics and the tests it failed."""
    ref, rows = counts.ref, max(counts.rows, 1)
    stats = {"psi": counts.psi(), "ks_statistic": counts.ks_statistic(),
             "ks_pvalue": counts.ks_pvalue(), "missing_rate": counts.missing / rows,
             "training_missing_rate": ref.missing_rate,
             "out_of_range_rate": counts.out_of_range / rows}
    reasons = []
    if not counts.present:
        reasons.append("no values in the new data")
    if stats["psi"] > thresholds.psi:
        reasons.append(f"PSI {stats['psi']:.3g} > {thresholds.psi:g}")
    if (stats["ks_pvalue"] < thresholds.ks_pvalue
            and stats["ks_statistic"] >= thresholds.ks_statistic):
        reasons.append(f"KS {stats['ks_statistic']:.3g} (p {stats['ks_pvalue']:.2g} < "
                       f"{thresholds.ks_pvalue:g})")
    if stats["missing_rate"] - ref.missing_rate > thresholds.missing_rate:
        reasons.append(f"missing {stats['missing_rate']:.1%} (training "
                       f"{ref.missing_rate:.1%})")
    if stats["out_of_range_rate"] > thresholds.out_of_range_rate:
        reasons.append(f"{stats['out_of_range_rate']:.1%} outside the training range "
                       f"{_edge(ref.minimum)}..{_edge(ref.maximum)}")
    return FeatureDrift(name, stats, reasons, Distribution(
        bin_labels(ref.edges), ref.shares.tolist(), counts.shares().tolist()))
