"""The table of each model's names in the release procedure, which is written once for every
model (shared_code/devops/release_procedure.md): one row per model folder, which new-model adds
for the model it makes."""
import re
from pathlib import Path
from typing import Callable

PROCEDURE = Path("shared_code") / "devops" / "release_procedure.md"
NAMES_HEADING = "## The names of each model"
_ROW = re.compile(r"^\| `(?P<folder>[^`]+)` \|.*\|$")


def _names_section(lines: list[str]) -> range:
    """The line numbers of the section that holds the table of names."""
    start = lines.index(NAMES_HEADING)
    end = next((number for number in range(start + 1, len(lines))
                if lines[number].startswith("## ")), len(lines))
    return range(start + 1, end)


def names_rows(text: str) -> dict[str, str]:
    """{model folder: its row of the table of names} in the procedure's `text`."""
    lines = text.splitlines()
    rows = (_ROW.match(lines[number]) for number in _names_section(lines))
    return {row["folder"]: row.group(0) for row in rows if row}


def add_model_row(repo_root: Path, source_folder: str, rename: Callable[[str], str]) -> bool:
    """Add to the table the row of a model copied from `source_folder`: the source's row,
    renamed by `rename`. False when the procedure has no row for the source."""
    path = Path(repo_root) / PROCEDURE
    if not path.is_file():
        return False
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    stripped = [line.rstrip("\n") for line in lines]
    rows = [number for number in _names_section(stripped) if _ROW.match(stripped[number])]
    source = [number for number in rows if _ROW.match(stripped[number])["folder"] == source_folder]
    if not source:
        return False
    lines.insert(rows[-1] + 1, rename(lines[source[0]]))
    path.write_text("".join(lines), encoding="utf-8")
    return True
