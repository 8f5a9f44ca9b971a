"""A built azureml Pipeline read back as the jobs Azure ML would run, one per step.

What Azure ML's pipeline service receives is the pipeline's graph: one module node per
PythonScriptStep, with its script, snapshot folder, structured arguments, run
configuration, input ports (bound to a registered dataset or to an earlier step's
output) and output ports. This module reads exactly that, so the emulator runs what the
SDK built rather than the step list it was built from.
"""
# The graph keeps a node's run configuration, snapshot folder and arguments, and a data
# source's dataset, in private attributes only.
# pylint: disable=protected-access
import json
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import Union

from azureml.pipeline.core._annotated_arguments import (_InputArgument, _OutputArgument,
                                                        _ParameterArgument, _StringArgument)
from azureml.pipeline.core.graph import ModuleDef, ModuleNode


@dataclass(frozen=True)
class DatasetSource:
    """A registered dataset fed to a step (the SDK's dataset object, with its registration)."""
    dataset: object

    @property
    def saved_id(self) -> str:
        """The saved dataset id the job receives for a direct input."""
        return self.dataset._registration.saved_id  # pylint: disable=no-member  # a dataset


@dataclass(frozen=True)
class SavedSource:
    """A saved dataset fed to a step by its id: a replayed step's input (replay.py)."""
    saved_id: str


@dataclass(frozen=True)
class ProducedSource:
    """An earlier step's output fed to a step."""
    step: str
    output: str


@dataclass(frozen=True)
class JobInput:
    """One input port: its name, how it is delivered (direct, mount, download) and from where."""
    name: str
    mode: str
    source: Union[DatasetSource, SavedSource, ProducedSource]


@dataclass(frozen=True)
class JobOutput:
    """One output port: its name, how it is written (mount, upload) and its datastore path."""
    name: str
    mode: str
    destination: str


@dataclass(frozen=True)
class JobStep:  # pylint: disable=too-many-instance-attributes  # one field per part of a job
    """What Azure ML runs for one PythonScriptStep."""
    name: str
    script: str
    source_directory: str
    arguments: tuple
    environment_variables: dict
    inputs: tuple[JobInput, ...]
    outputs: tuple[JobOutput, ...]
    allow_reuse: bool


def _job_input(port) -> JobInput:
    source_node = port.incoming_edge.source_port.node
    if isinstance(source_node, ModuleNode):
        source = ProducedSource(source_node.name, port.incoming_edge.source_port.name)
    else:
        source = DatasetSource(source_node.datasource_def._pipeline_dataset.dataset)
    return JobInput(port.name, port.bind_mode, source)


def _job_output(port) -> JobOutput:
    destination = port._dataset_output.destination
    path = destination[1] if destination else f"/dataset/{{run-id}}/{port.name}/"
    return JobOutput(port.name, port.bind_mode, path)


def environment_variables(runconfig_json: str) -> dict:
    """The variables a job starts with: its environment's, then the run configuration's."""
    runconfig = json.loads(runconfig_json)
    environment = (runconfig.get("environment") or {}).get("environmentVariables") or {}
    return {**environment, **(runconfig.get("environmentVariables") or {})}


def _job_step(node) -> JobStep:
    return JobStep(
        name=node.name, script=node.get_param("Script").value,
        source_directory=node._module_builder._content_path,
        arguments=tuple(node._module_builder._arguments or ()),
        environment_variables=environment_variables(node._runconfig),
        inputs=tuple(_job_input(port) for port in node.inputs),
        outputs=tuple(_job_output(port) for port in node.outputs
                      if port.name != ModuleDef.fake_output_name),
        allow_reuse=node.module_def.allow_reuse)


def job_steps(pipeline) -> list[JobStep]:
    """The pipeline's steps in an order that runs every producer before its consumers."""
    steps = {step.name: step for step in map(_job_step, pipeline.graph.module_nodes)}
    order = TopologicalSorter({name: {i.source.step for i in step.inputs
                                      if isinstance(i.source, ProducedSource)}
                               for name, step in steps.items()})
    return [steps[name] for name in order.static_order()]


# A structured argument as the run's definition keeps it: {kind: text or port name}.
_ARGUMENT_KINDS = {"text": _StringArgument, "input": _InputArgument, "output": _OutputArgument,
                   "parameter": _ParameterArgument}


def argument_record(argument) -> dict:
    """One structured argument of a step, as JSON."""
    if isinstance(argument, _StringArgument):
        return {"text": str(argument.text)}
    kind = next(kind for kind, cls in _ARGUMENT_KINDS.items() if isinstance(argument, cls))
    return {kind: argument.name}


def argument_from(record: dict):
    """The structured argument argument_record() wrote."""
    ((kind, value),) = record.items()
    return _ARGUMENT_KINDS[kind](value)


def run_definition(step: JobStep) -> dict:
    """What a step run keeps of its job, as Azure ML keeps a run's definition, so that the
    step can be replayed on the inputs it had (its inputs are the run's input_datasets)."""
    return {"script": step.script, "arguments": [argument_record(a) for a in step.arguments],
            "environment_variables": dict(step.environment_variables),
            "outputs": [{"name": o.name, "mode": o.mode, "destination": o.destination}
                        for o in step.outputs],
            "allow_reuse": step.allow_reuse}
