"""The core toolbox never imports model_monitoring at import time: only the command line's
`models card` and `drift` handlers do, when they run."""
import ast
from pathlib import Path

import pytest

from shared_code.amltoolbox.paths import REPO_ROOT

CORE = REPO_ROOT / "shared_code" / "amltoolbox"
WING = "shared_code.model_monitoring"


def _module_level_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in tree.body:  # top level only: an import inside a function runs when called
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.append(node.module)
    return names


@pytest.mark.parametrize("path", sorted(CORE.rglob("*.py")),
                         ids=lambda p: p.relative_to(CORE).as_posix())
def test_no_core_module_imports_the_wing_when_it_is_imported(path):
    assert not [name for name in _module_level_imports(path) if name.startswith(WING)]
