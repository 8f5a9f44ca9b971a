"""Two-sample statistics of a reference sample (the training data) and new data that arrives
in chunks, so that a million rows are compared in constant memory and linear time.

The reference is kept whole (its sorted distinct values); the new data only as counts: per
PSI bin, and per position among the reference's distinct values. That is enough for the
exact two-sample Kolmogorov-Smirnov statistic: between two neighbouring reference values the
reference's CDF is flat and the new data's rises, so the largest gap is at a reference value
or just below it, and the new data's CDF there is a count of values <= or < it.
"""
from dataclasses import dataclass

import numpy as np

PSI_BINS = 10
PSI_FLOOR = 1e-4  # an empty bin's share, so that PSI stays finite


@dataclass
class Reference:
    """A numeric column of the training data: distinct values and their CDF, PSI bin edges and
    shares, range and missing rate."""
    values: np.ndarray       # sorted distinct non-missing values
    cdf: np.ndarray          # share of the reference <= each of `values`
    cdf_below: np.ndarray    # share of the reference < each of `values`
    edges: np.ndarray        # inner PSI bin edges (deciles, distinct)
    shares: np.ndarray       # share of the reference in each PSI bin
    count: int
    missing_rate: float

    @property
    def minimum(self) -> float:
        """The smallest value seen in training."""
        return float(self.values[0])

    @property
    def maximum(self) -> float:
        """The largest value seen in training."""
        return float(self.values[-1])


def reference(column, bins: int = PSI_BINS) -> Reference:
    """The reference profile of one column (array-like; NaN is missing)."""
    data = np.asarray(column, dtype=float)
    present = data[~np.isnan(data)]
    if present.size == 0:
        raise ValueError("the reference column holds no values")
    values, counts = np.unique(present, return_counts=True)
    cumulative = np.cumsum(counts)
    edges = np.unique(np.quantile(present, np.linspace(0, 1, bins + 1)[1:-1]))
    shares = np.bincount(np.searchsorted(edges, present, side="right"),
                         minlength=edges.size + 1) / present.size
    return Reference(values=values, cdf=cumulative / present.size,
                     cdf_below=(cumulative - counts) / present.size, edges=edges, shares=shares,
                     count=int(present.size),
                     missing_rate=float(1 - present.size / data.size) if data.size else 0.0)


class ColumnAccumulator:
    """Counts of new values of one column, chunk by chunk, against its Reference."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.rows = 0
        self.missing = 0
        self.out_of_range = 0
        self.bins = np.zeros(ref.edges.size + 1, dtype=np.int64)
        self.at_or_below = np.zeros(ref.values.size + 1, dtype=np.int64)  # by left position
        self.below = np.zeros(ref.values.size + 1, dtype=np.int64)         # by right position

    def add(self, chunk) -> None:
        """Count one chunk of values (NaN is missing)."""
        data = np.asarray(chunk, dtype=float)
        present = data[~np.isnan(data)]
        self.rows += data.size
        self.missing += data.size - present.size
        self.out_of_range += int(np.count_nonzero((present < self.ref.minimum)
                                                  | (present > self.ref.maximum)))
        self.bins += np.bincount(np.searchsorted(self.ref.edges, present, side="right"),
                                 minlength=self.bins.size)
        values = self.ref.values
        self.at_or_below += np.bincount(np.searchsorted(values, present, side="left"),
                                        minlength=values.size + 1)
        self.below += np.bincount(np.searchsorted(values, present, side="right"),
                                  minlength=values.size + 1)

    @property
    def present(self) -> int:
        """How many values were not missing."""
        return self.rows - self.missing

    def shares(self) -> np.ndarray:
        """The new data's share in each PSI bin."""
        return self.bins / max(self.present, 1)

    def psi(self) -> float:
        """Population stability index of the new data against the reference's bins."""
        return psi(self.ref.shares, self.shares())

    def ks_statistic(self) -> float:
        """The exact two-sample Kolmogorov-Smirnov statistic (scipy's ks_2samp's)."""
        if not self.present:
            return float("nan")
        # A value v is <= values[k] when fewer than k+1 reference values are below it.
        new_cdf = np.cumsum(self.at_or_below)[:-1] / self.present
        new_cdf_below = np.cumsum(self.below)[:-1] / self.present
        return float(max(np.max(np.abs(self.ref.cdf - new_cdf)),
                         np.max(np.abs(self.ref.cdf_below - new_cdf_below))))

    def ks_pvalue(self) -> float:
        """The asymptotic two-sided p-value of ks_statistic (as scipy's method='asymp')."""
        from scipy.stats import distributions  # pylint: disable=import-outside-toplevel  # heavy
        statistic = self.ks_statistic()
        if np.isnan(statistic):
            return float("nan")
        effective = self.ref.count * self.present / (self.ref.count + self.present)
        return float(np.clip(distributions.kstwo.sf(statistic, np.round(effective)), 0, 1))


def psi(expected: np.ndarray, actual: np.ndarray) -> float:
    """Population stability index between two sets of shares of the same bins."""
    expected = np.maximum(np.asarray(expected, dtype=float), PSI_FLOOR)
    actual = np.maximum(np.asarray(actual, dtype=float), PSI_FLOOR)
    return float(np.sum((actual - expected) * np.log(actual / expected)))
