"""An XGBoost tree ensemble scored with numpy: Booster.inplace_predict's numbers, bit for bit,
without its cost per call, for serving a few rows at a time.

inplace_predict costs about 0.4 ms of CPU per call whatever the rows (xgboost 3.2, measured
here on 1 row with 1 tree and with 300): its Python wrapper builds an array interface and a
JSON config each call, and the library reads the cgroup CPU quota files (five system calls)
and hands the rows to its OpenMP threads, which on a busy machine wait to be scheduled. A
scoring service answers one row at a time; numpy walks 300 trees of depth 3 for one row in
a tenth of that.

The walk is XGBoost's own (cpu_predictor's GetNextNode): on float32 features, a split sends a
missing value (NaN) to its default child and any other value left when it is below the split
condition; the leaves' float32 values are added to the base score one tree after another, in
float32. Only what keeps those numbers the same is compiled: a gbtree booster of one target,
numerical splits, and an objective whose prediction is the margin itself. `compile_booster`
then checks its numbers against inplace_predict's on rows made to fall on each side of every
split, and refuses a model where one differs.
"""
import json
import sys
from typing import Callable

import numpy as np

# Up to this many rows numpy scores faster than inplace_predict (here about 100 for 300 trees
# of depth 3); beyond, the booster's cost per call is paid back.
SMALL_BATCH_ROWS = 64
# Objectives whose prediction is the raw margin (no link function).
IDENTITY_OBJECTIVES = ("reg:squarederror", "reg:squaredlogerror", "reg:pseudohubererror",
                       "reg:absoluteerror", "reg:quantileerror")


class UnsupportedModel(ValueError):
    """A booster whose predictions this module would not reproduce exactly."""


class TreeEnsemble:  # pylint: disable=too-few-public-methods  # compiled once, then predict()
    """Trees as flat arrays. A row's place in a tree is a slot, twice its node's index: the
    slot plus 0 (left) or 1 (right) indexes the next slot, so a step is one lookup. A leaf
    leads back to itself, so every row walks the same number of steps (the deepest tree's).
    """

    def __init__(self, trees: list[dict], base_score: float):
        offsets = np.cumsum([0] + [len(t["left_children"]) for t in trees[:-1]])
        children, feature, threshold, default_left = [], [], [], []
        for offset, tree in zip(offsets, trees):
            for node, (lc, rc) in enumerate(zip(tree["left_children"], tree["right_children"])):
                leaf = lc == -1
                children += [offset + (node if leaf else lc), offset + (node if leaf else rc)]
            feature += tree["split_indices"]
            threshold += tree["split_conditions"]  # a leaf's value, at a leaf
            default_left += tree["default_left"]
        self.is_leaf = np.array(children[::2]) == np.arange(len(feature))
        self.root_slots = 2 * offsets.astype(np.intp)[None, :]
        self.next_slot = 2 * np.array(children, np.intp)
        # Indexed by slot: each node's values twice over.
        self.feature = np.repeat(np.array(feature, np.intp), 2)
        self.threshold = np.repeat(np.array(threshold, np.float64).astype(np.float32), 2)
        self.default_right = np.repeat(~np.array(default_left, bool), 2)
        self.base_score = np.float32(base_score)
        self.depth = max(_depth(t["left_children"], t["right_children"]) for t in trees)

    def split_conditions(self, feature: int) -> np.ndarray:
        """The conditions of the splits on one feature."""
        return self.threshold[::2][(self.feature[::2] == feature) & ~self.is_leaf]

    def predict(self, matrix: np.ndarray) -> np.ndarray:
        """float32 predictions for the rows of `matrix` (features in the booster's order)."""
        values = np.asarray(matrix, dtype=np.float32)
        rows, flat = len(values), values.ravel()
        missing = bool(np.isnan(flat).any())
        starts = (np.arange(rows, dtype=np.intp) * values.shape[1])[:, None] if rows > 1 else 0
        slot = self.root_slots
        for _ in range(self.depth):
            value = flat.take(self.feature.take(slot) + starts)
            # XGBoost goes left when the value is below the condition; NaN its default way.
            go_right = value >= self.threshold.take(slot)
            if missing:
                go_right = np.where(np.isnan(value), self.default_right.take(slot), go_right)
            slot = self.next_slot.take(slot + go_right)
        sums = np.empty((rows, slot.shape[1] + 1), np.float32)
        sums[:, 0] = self.base_score
        sums[:, 1:] = self.threshold.take(slot)
        # cumsum adds one tree after another, as XGBoost does; sum() would add in pairs.
        return np.cumsum(sums, axis=1, out=sums)[:, -1]


def _depth(left: list[int], right: list[int], node: int = 0) -> int:
    if left[node] == -1:
        return 0
    return 1 + max(_depth(left, right, left[node]), _depth(left, right, right[node]))


def compile_booster(booster) -> TreeEnsemble:
    """The booster's trees for numpy, checked against inplace_predict; UnsupportedModel when
    its numbers would differ."""
    model = json.loads(booster.save_raw("json"))["learner"]
    objective = model["objective"]["name"]
    gbm = model["gradient_booster"]
    params = model["learner_model_param"]
    if gbm["name"] != "gbtree" or objective not in IDENTITY_OBJECTIVES:
        raise UnsupportedModel(f"a {gbm['name']} booster with objective {objective}")
    trees = gbm["model"]["trees"]
    if int(params.get("num_target", 1)) != 1 or not trees:
        raise UnsupportedModel("a booster of more than one target, or of no tree")
    if any(any(t["split_type"]) for t in trees):
        raise UnsupportedModel("a booster with categorical splits")
    ensemble = TreeEnsemble(trees, float(params["base_score"].strip("[]")))
    probe = _probe_rows(ensemble, int(params["num_feature"]))
    expected = booster.inplace_predict(probe).astype(np.float32)
    if not np.array_equal(ensemble.predict(probe), expected):
        raise UnsupportedModel("its numpy predictions differ from inplace_predict's")
    return ensemble


def _probe_rows(ensemble: TreeEnsemble, features: int) -> np.ndarray:
    """Rows whose every feature sits on, just below and just above split conditions, and
    missing: each split is taken both ways, and its boundary tested."""
    rng = np.random.default_rng(0)
    columns = []
    for index in range(features):
        splits = ensemble.split_conditions(index)
        candidates = np.concatenate([splits, np.nextafter(splits, -np.inf),
                                     np.nextafter(splits, np.inf), [np.nan, 0.0]])
        columns.append(rng.choice(candidates, size=256))
    return np.column_stack(columns).astype(np.float32)


def serving_predictor(booster) -> Callable[[np.ndarray], np.ndarray]:
    """inplace_predict's numbers for any number of rows: numpy's for a small batch, the
    booster's own for a large one, and the booster's alone for a model numpy would not
    reproduce."""
    try:
        ensemble = compile_booster(booster)
    except UnsupportedModel as reason:
        print(f"scoring with XGBoost's inplace_predict: numpy does not score {reason}",
              file=sys.stderr)
        return booster.inplace_predict

    def predict(matrix: np.ndarray) -> np.ndarray:
        if len(matrix) <= SMALL_BATCH_ROWS:
            return ensemble.predict(matrix)
        return booster.inplace_predict(matrix)
    return predict
