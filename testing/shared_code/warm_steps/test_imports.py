"""What the warm server imports for a model's steps: what they import from outside the
repository, found without running them; never the repository's own code, nor azureml."""
import sys
import textwrap
from pathlib import Path

from shared_code.amltoolbox.local import runner
from shared_code.warm_steps.client import RUNNER_LIBRARIES
from shared_code.warm_steps.imports import imports_outside, third_party_imports

FILES = {
    "model_x/script_steps/train.py": """
        from azureml.core import Run
        from model_x.model import fit
        from shared_lib import draw
        import shared_lib.tools
    """,
    "model_x/model.py": """
        import json
        def fit():
            import xgboost  # where it trains: found too
    """,
    "shared_lib/__init__.py": """
        from typing import TYPE_CHECKING
        if TYPE_CHECKING:  # what __getattr__ loads when asked
            from .plots import draw
            import torch
    """,
    "shared_lib/plots.py": """
        import matplotlib.pyplot
    """,
    "shared_lib/tools.py": """
        try:
            import pandas
        except ImportError:
            pandas = None
        def later():
            import scipy  # the repository's modules are followed at module level only
    """,
}


def test_the_steps_imports_outside_the_repository_are_found_through_its_modules(tmp_path):
    for name, text in FILES.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    found = third_party_imports(tmp_path / "model_x" / "script_steps", repo_root=tmp_path)
    assert set(found) == {"json", "xgboost", "typing", "matplotlib.pyplot", "pandas"}


def test_a_step_that_does_not_parse_is_left_to_report_itself(tmp_path):
    steps = tmp_path / "model_x" / "script_steps"
    steps.mkdir(parents=True)
    (steps / "train.py").write_text("import numpy\ndef broken(:\n", encoding="utf-8")
    (steps / "evaluate.py").write_text("import pandas\n", encoding="utf-8")
    assert third_party_imports(steps, repo_root=tmp_path) == ["pandas"]


def test_the_libraries_the_runner_imports_are_the_ones_the_warm_start_names():
    found = imports_outside([Path(runner.__file__)], None)
    assert {name for name in found
            if name.split(".")[0] not in sys.stdlib_module_names} == RUNNER_LIBRARIES
