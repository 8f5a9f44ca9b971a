"""Why each step of a local run ran or was reused (`run --explain`, `runs explain RUN_ID`):
its reuse key's parts (reuse_keys.py), and for a step that ran, what differs from the run it
would otherwise have reused, a changed code file with a diff stat."""
import difflib
import re
from dataclasses import dataclass, field

from ..records import REUSED
from .reuse_keys import ReuseKeys
from .runs import RunRecord
from .workspace import LocalWorkspace

SHORT = 12  # hash characters shown
# The properties of a run made by `replay` (replay.py): the run and the step it replays.
REPLAY_OF, REPLAYED_STEP = "replay_of", "replayed_step"
_SHA256 = re.compile(r"\b([0-9a-f]{%d})[0-9a-f]{%d}\b" % (SHORT, 64 - SHORT))


@dataclass
class StepExplanation:
    """One step: its key's parts, what it was compared with and what differs."""
    step: str
    status: str
    verdict: str
    parts: dict | None = None
    compared_with: str | None = None  # the run it would otherwise have reused
    changes: list[str] = field(default_factory=list)
    code_files: int = 0  # files in the code every step shares
    replayed: bool = False  # run again by `replay`, on the inputs of an earlier run


@dataclass
class RunExplanation:
    """Every step of one run, explained."""
    run_id: str
    model: str
    steps: list[StepExplanation]


def explain_run(workspace: LocalWorkspace, run_id: str) -> RunExplanation:
    """The explanation of run `run_id` of the local workspace."""
    run = workspace.runs.get(run_id)
    keys = ReuseKeys(workspace.store)
    return RunExplanation(run.id, run.model, [_explain_step(keys, run, step)
                                              for step in run.steps])


def _explain_step(keys: ReuseKeys, run: RunRecord, record) -> StepExplanation:
    parts = keys.parts(run.id, record.step)
    if run.properties.get(REPLAY_OF):
        return StepExplanation(record.step, record.status, f"replayed: step "
                               f"{run.properties.get(REPLAYED_STEP)} of run "
                               f"{run.properties[REPLAY_OF]}, on the inputs it had",
                               replayed=True)
    if parts is None:
        return StepExplanation(record.step, record.status,
                               "no reuse key recorded (run made before keys were kept)")
    manifest = keys.manifest(parts["code"]) or {}
    explanation = StepExplanation(record.step, record.status, "", parts,
                                  code_files=len(manifest))
    if record.status == REUSED:
        explanation.verdict = (f"reused from run {record.reused_from} (step {record.step}): "
                               "its key is unchanged")
        return explanation
    previous = keys.previous(run.model, record.step, run.id, record.started)
    never = "" if parts["reuse"].get("step", True) else "never reused (reuse=False); "
    if previous is None:
        explanation.verdict = f"ran: {never}no earlier run of this step to reuse"
        return explanation
    explanation.compared_with, before = previous
    explanation.changes = differences(keys, before, parts, _ran_in(run))
    if explanation.changes:
        explanation.verdict = f"ran: {never}differs from run {previous[0]} in"
    elif never:
        explanation.verdict = f"ran: {never}same key as run {previous[0]}"
    elif not parts["reuse"].get("run", True):
        explanation.verdict = f"ran: reuse was off (--no-reuse); same key as run {previous[0]}"
    else:
        explanation.verdict = (f"ran: same key as run {previous[0]}, whose outputs are gone or "
                               "were changed since")
    return explanation


def _ran_in(run: RunRecord) -> set[str]:
    return {step.step for step in run.steps if step.status != REUSED}


def differences(keys: ReuseKeys, before: dict, after: dict, ran: set[str]) -> list[str]:
    """What differs between two steps' key parts, one line each; `ran` names the steps of
    the later run that ran (their outputs are new)."""
    changes = []
    if before["script"] != after["script"]:
        changes.append(_file_change(keys, after["script"]["path"], before["script"]["sha256"],
                                    after["script"]["sha256"]))
    if before["code"] != after["code"]:
        changes += _manifest_changes(keys, before, after)
    for path in sorted(set(before["environment"]) | set(after["environment"])):
        old, new = before["environment"].get(path), after["environment"].get(path)
        if old != new:
            changes.append("environment: " + _file_change(keys, path, old, new))
    if before["arguments"] != after["arguments"]:
        changes.append(f"arguments: {before['arguments']} -> {after['arguments']}")
    changes += _input_changes(before["inputs"], after["inputs"], ran)
    if before.get("champion") != after.get("champion"):
        changes.append(f"champion: {_champion(before)} -> {_champion(after)}")
    return changes


def _manifest_changes(keys: ReuseKeys, before: dict, after: dict) -> list[str]:
    old, new = keys.manifest(before["code"]), keys.manifest(after["code"])
    if old is None or new is None:
        return [f"shared code: {_short(before['code'])} -> {_short(after['code'])}"]
    environment = set(before["environment"]) | set(after["environment"])
    return [_file_change(keys, path, old.get(path), new.get(path))
            for path in sorted(set(old) | set(new))
            if old.get(path) != new.get(path) and path not in environment]


def _input_changes(before: dict, after: dict, ran: set[str]) -> list[str]:
    changes = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if new is None or old is None:
            changes.append(f"input {name}: {'added' if old is None else 'removed'}")
        elif "dataset" in new:
            if (old.get("dataset"), old.get("version")) != (new["dataset"], new["version"]):
                changes.append(f"input {name}: dataset {_dataset(old)} -> {_dataset(new)}")
            elif old["sha256"] != new["sha256"]:
                changes.append(f"input {name}: dataset {_dataset(new)}'s content changed")
        elif new["step"] in ran or old["sha256"] != new["sha256"]:
            content = "its content changed" if old["sha256"] != new["sha256"] else "same content"
            changes.append(f"input {name}: output {new['output']} of {new['step']}, which ran "
                           f"again in this run ({content})")
    return changes


def _dataset(part: dict) -> str:
    return f"{part.get('dataset')}:{part.get('version')}"


def _file_change(keys: ReuseKeys, path: str, old: str | None, new: str | None) -> str:
    if old is None:
        return f"{path} added"
    if new is None:
        return f"{path} removed"
    return f"{path} changed ({diff_stat(keys.content(old), keys.content(new))})"


def diff_stat(old: bytes | None, new: bytes | None) -> str:
    """"+added -removed" lines between two contents; without both, that they differ."""
    if old is None or new is None:
        return "content not kept"
    added = removed = 0
    for line in difflib.unified_diff(old.decode(errors="replace").splitlines(),
                                     new.decode(errors="replace").splitlines(), lineterm="", n=0):
        if line.startswith(("+++", "---")):
            continue
        added += line.startswith("+")
        removed += line.startswith("-")
    return f"+{added} -{removed}"


def _champion(parts: dict) -> str:
    """The champion compared with: name:version and its sha256, shortened."""
    return _SHA256.sub(r"\1", parts.get("champion") or "none")


def _short(sha256: str | None) -> str:
    return (sha256 or "-")[:SHORT]


def key_lines(parts: dict, code_files: int) -> list[str]:
    """A step's key parts, one line each."""
    lines = [f"script {parts['script']['path']} {_short(parts['script']['sha256'])}",
             f"code {_short(parts['code'])}: {code_files} files every step of the model "
             "shares (its folder, shared_code, the lock)"]
    lines += [f"environment {path} {_short(sha)}" for path, sha in parts["environment"].items()]
    lines.append(f"arguments {' '.join(parts['arguments']) or 'none'}")
    for name, source in parts["inputs"].items():
        origin = (f"dataset {_dataset(source)}" if "dataset" in source
                  else f"output {source['output']} of {source['step']}")
        lines.append(f"input {name}: {origin}, content {_short(source['sha256'])}")
    if parts.get("champion") is not None:
        lines.append(f"champion {_champion(parts)}")
    return lines


def format_explanation(explanation: RunExplanation) -> list[str]:
    """The explanation as printed lines."""
    if not any(step.parts or step.replayed for step in explanation.steps):
        return [f"run {explanation.run_id} has no reuse keys recorded (it ran before they were "
                "kept, or ran no step): nothing to explain"]
    lines = [f"why each step of run {explanation.run_id} ran or was reused:"]
    for step in explanation.steps:
        lines.append(f"  {step.step}: {step.verdict}")
        lines += [f"      - {change}" for change in step.changes]
        if step.parts is not None:
            lines += [f"    {line}" for line in key_lines(step.parts, step.code_files)]
    return lines
