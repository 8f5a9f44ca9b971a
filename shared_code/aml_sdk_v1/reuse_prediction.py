"""Whether Azure ML (SDK v1) will reuse each step of a pipeline about to be submitted, and
if not, why: computed offline, before submission, with the SDK's own code.

Azure ML reuses a step's earlier run when the step's module and its inputs are unchanged.
The module is identified by the fingerprint the SDK computes when it registers the module
(azureml/pipeline/core/_module_builder.py:40-47, get_fingerprint, and :143-155,
calculate_hash): the hash of the module definition (graph.py:138-186, ModuleDef
.calculate_hash: its name, ports, script and arguments, allow_reuse and run configuration,
which holds the environment) joined to the hash of every file of the step's snapshot (the
source directory's merkle tree, its .amlignore applied). The inputs are the registered
datasets (name, version, saved id) and the earlier steps' outputs, which are new whenever
the step that writes them runs again. A step with allow_reuse=False always runs, and so
does every step of a submission with regenerate_outputs (--no-reuse).

What the service itself adds (the run must have finished, and still be there) cannot be
seen from here: "will reuse" means the key matches the last submission recorded on this
machine.
"""
# The graph keeps a node's module builder, run configuration and a dataset's registration
# in private attributes only.
# pylint: disable=protected-access
import json
import os
from dataclasses import dataclass, field
from graphlib import TopologicalSorter
from pathlib import Path

from azureml.pipeline.core.graph import ModuleNode

from shared_code.amltoolbox.errors import UserError
from shared_code.amltoolbox.hashing import file_sha256, text_sha256


class ReuseExpectationError(UserError):
    """A step expected to be reused in Azure ML would run again."""


@dataclass
class StepPrediction:
    """One step: its key's parts now, and what Azure ML will do with it."""
    name: str
    parts: dict
    reuse: bool = False
    reason: str = ""
    changes: list[str] = field(default_factory=list)

    @property
    def allow_reuse(self) -> bool:
        """The step's allow_reuse."""
        return self.parts["allow_reuse"]


def _snapshot_manifest(folder: str) -> dict[str, str]:
    """Every file of a staged snapshot (what the SDK hashes), relative path -> sha256."""
    manifest = {}
    for directory, _, names in os.walk(folder):
        for name in names:
            path = Path(directory, name)
            manifest[path.relative_to(folder).as_posix()] = file_sha256(path)
    return dict(sorted(manifest.items()))


def _input(port) -> tuple[str, dict]:
    source = port.incoming_edge.source_port
    if isinstance(source.node, ModuleNode):
        return port.name, {"step": source.node.name, "output": source.name}
    registration = source.node.datasource_def._pipeline_dataset.dataset._registration
    return port.name, {"dataset": registration.name, "version": registration.version,
                       "saved_id": registration.saved_id}


def _node_parts(node) -> dict:
    builder = node._module_builder
    module_def = builder.module_def
    fingerprint = builder.get_fingerprint()  # the SDK's own: "<definition>_<snapshot>"
    return {"fingerprint": fingerprint, "definition": fingerprint.split("_")[0],
            "script": node.get_param("Script").value,
            "arguments": [str(argument) for argument in module_def._arguments or []],
            "environment": text_sha256(module_def._runconfig or ""),
            "allow_reuse": module_def.allow_reuse,
            "snapshot": _snapshot_manifest(builder._content_path),
            "inputs": dict(_input(port) for port in node.inputs)}


def predicted_parts(pipeline) -> dict[str, dict]:
    """Each step's key parts, by step name, producers before their consumers; each has a
    `key` that an upstream step's rerun changes too."""
    nodes = {node.name: _node_parts(node) for node in pipeline.graph.module_nodes}
    order = TopologicalSorter({name: {source["step"] for source in parts["inputs"].values()
                                      if "step" in source}
                               for name, parts in nodes.items()}).static_order()
    keyed = {}
    for name in order:
        parts = nodes[name]
        inputs = {port: ({**source, "key": keyed[source["step"]]["key"]} if "step" in source
                         else source) for port, source in parts["inputs"].items()}
        keyed[name] = {**parts, "inputs": inputs,
                       "key": text_sha256(parts["fingerprint"], json.dumps(inputs, sort_keys=True))}
    return keyed


def predict(parts: dict[str, dict], previous: dict | None, regenerate_outputs: bool
            ) -> list[StepPrediction]:
    """What Azure ML will do with each step, against the `previous` submission's record
    ({"run_id": ..., "steps": {name: parts}}) or none."""
    predictions, rerun = [], set()
    for name, now in parts.items():
        prediction = StepPrediction(name, now)
        before = (previous or {}).get("steps", {}).get(name)
        if not now["allow_reuse"]:
            prediction.reason = "allow_reuse is off for this step"
        elif regenerate_outputs:
            prediction.reason = "--no-reuse (regenerate_outputs) reruns every step"
        elif before is None:
            prediction.reason = "no earlier submission of this step is recorded on this machine"
        elif before["key"] == now["key"]:
            prediction.reuse = True
            prediction.reason = f"Azure ML will reuse this step's last run (submitted " \
                                f"{previous['run_id']})"
        else:
            prediction.changes = step_changes(before, now, rerun)
            prediction.reason = "will rerun: " + "; ".join(prediction.changes)
        if not prediction.reuse:
            rerun.add(name)
            if not prediction.reason.startswith("will rerun"):
                prediction.reason = f"will rerun: {prediction.reason}"
        predictions.append(prediction)
    return predictions


def step_changes(before: dict, now: dict, rerun: set[str]) -> list[str]:
    """What differs between a step's recorded key parts and its parts now."""
    changes = []
    old, new = before["snapshot"], now["snapshot"]
    for path in sorted(set(old) | set(new)):
        if old.get(path) != new.get(path):
            state = "added" if path not in old else "removed" if path not in new else "changed"
            changes.append(f"snapshot file {path} {state}")
    definition = [f"{part}: {before[part]} -> {now[part]}" for part in ("script", "arguments")
                  if before[part] != now[part]]
    if before["environment"] != now["environment"]:
        definition.append("its run configuration (environment) changed")
    if before["definition"] != now["definition"] and not definition:
        definition.append("its module definition (ports or settings) changed")
    changes += definition
    for port, source in now["inputs"].items():
        earlier = before["inputs"].get(port)
        if "step" in source:
            if source["step"] in rerun:
                changes.append(f"input {port}: output of {source['step']}, which will rerun")
        elif earlier != source:
            changes.append(f"input {port}: dataset {_dataset(earlier)} -> {_dataset(source)}")
    return changes or ["its key differs (an upstream output or the module's settings)"]


def _dataset(source: dict | None) -> str:
    return f"{source['dataset']}:{source['version']}" if source and "dataset" in source else "-"


def format_predictions(predictions: list[StepPrediction]) -> list[str]:
    """One line per step, as --submit --explain prints them."""
    return ["Azure ML reuse, predicted before submission:",
            *(f"  {p.name}: {p.reason}" for p in predictions)]


def require_reuse(predictions: list[StepPrediction]) -> None:
    """Raise ReuseExpectationError, naming them, when a step that allows reuse would rerun."""
    rerun = [p for p in predictions if p.allow_reuse and not p.reuse]
    if rerun:
        raise ReuseExpectationError(
            "--expect-reuse: nothing was submitted, as these steps would run again in Azure "
            "ML: " + "; ".join(f"{p.name} ({p.reason})" for p in rerun))
