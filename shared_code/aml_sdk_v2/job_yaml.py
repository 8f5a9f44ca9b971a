"""A compiled pipeline job as v2 YAML, written with no workspace and no network.

The jobs' code is the model's snapshot (code_snapshot.py), staged in the local workspace
as --submit stages it, so the dump names the code Azure ML will receive.
azure-ai-ml dumps local paths as absolute ones (azure/ai/ml/_schema/core/fields.py:165);
the code root is rewritten relative to the YAML file, which is how azure-ai-ml resolves a
relative path in a YAML file. With the environment inline, the file loads and validates
wherever the local workspace sits in the same place beside it; its jobs are in the order
the steps run. Once written, it is read back through
azure.ai.ml.load_job and checked by azure-ai-ml's own validation, so a file that would not
submit is never reported good.
"""
import os
from pathlib import Path
from typing import Any, Sequence

import yaml

from shared_code.amltoolbox.model_config import ModelConfig
from shared_code.amltoolbox.paths import REPO_ROOT
from shared_code.amltoolbox.pipeline import Step
from .code_snapshot import staged_code
from .pipeline_job import build_pipeline_job, check_pipeline_job

CODE_KEY = "code"
# What editors and `az ml` read the file against.
PIPELINE_JOB_SCHEMA = "https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json"


def code_relative_to(yaml_file: Path, code_root: Path = REPO_ROOT) -> str:
    """The code root as a path relative to the YAML file's folder ('.' beside it)."""
    return Path(os.path.relpath(Path(code_root).resolve(),
                                Path(yaml_file).resolve().parent)).as_posix()


def with_relative_code(node: Any, absolute: str, relative: str) -> Any:
    """A copy of a dumped job in which every `code: <absolute>` reads `code: <relative>`."""
    if isinstance(node, dict):
        return {key: relative if key == CODE_KEY and value == absolute
                else with_relative_code(value, absolute, relative)
                for key, value in node.items()}
    if isinstance(node, list):
        return [with_relative_code(item, absolute, relative) for item in node]
    return node


def load_pipeline_job(path: Path):
    """A pipeline job YAML file read by azure-ai-ml, as `az ml job create -f` reads it."""
    from azure.ai.ml import load_job
    return load_job(source=str(path))


def dump_pipeline_job(config: ModelConfig, steps: Sequence[Step], experiment_name: str,
                      compute: str, path: Path) -> Path:
    """Write the model's pipeline job to `path`, then load it back and validate it."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    code = staged_code(config, steps)
    build_pipeline_job(config, steps, experiment_name, compute, code=code).dump(str(path))
    dumped = yaml.safe_load(path.read_text(encoding="utf-8"))
    relative = with_relative_code(dumped, code.resolve().as_posix(), code_relative_to(path, code))
    # azure-ai-ml sorts the jobs by name; a reader follows them in the order they run.
    relative["jobs"] = {step.name: relative["jobs"][step.name] for step in steps}
    path.write_text(yaml.safe_dump({"$schema": PIPELINE_JOB_SCHEMA, **relative}, sort_keys=False,
                                   width=100), encoding="utf-8")
    check_pipeline_job(load_pipeline_job(path))
    return path
