"""The parts of a model's documentation that its card quotes: the sections of its main
documentation file (documentation/<folder>.md) under the headings the card needs."""
import re
from dataclasses import dataclass, field
from pathlib import Path

DOCUMENTATION_DIR = "documentation"
CARD_HEADINGS = ("Purpose", "Intended use", "Limitations", "Contacts")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_COMMENT = re.compile(r"<!--.*?-->")
_FENCE = re.compile(r"^\s*(```|~~~)")


@dataclass
class CardDocumentation:
    """The card's sections found in the documentation file, and what was not found."""
    file: Path | None
    sections: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def main_documentation(model_folder: Path) -> Path | None:
    """documentation/<folder name>.md, else the folder's only Markdown file; None if neither."""
    folder = Path(model_folder) / DOCUMENTATION_DIR
    named = folder / f"{Path(model_folder).name}.md"
    if named.is_file():
        return named
    candidates = sorted(folder.glob("*.md")) if folder.is_dir() else []
    return candidates[0] if len(candidates) == 1 else None


def _heading_text(text: str) -> str:
    return " ".join(_COMMENT.sub("", text).split()).casefold()


def markdown_sections(text: str) -> dict[str, str]:
    """Each heading's text (case-folded) and what is under it, down to the next heading of the
    same or a higher level (its sub-sections included). Headings inside fenced code are not
    headings; of two headings with the same text, the first counts."""
    lines = text.splitlines()
    headings: list[tuple[int, int, str]] = []  # line index, level, text
    in_fence = False
    for index, line in enumerate(lines):
        if _FENCE.match(line):
            in_fence = not in_fence
            continue
        match = None if in_fence else _HEADING.match(line)
        if match:
            headings.append((index, len(match.group(1)), _heading_text(match.group(2))))
    sections: dict[str, str] = {}
    for position, (index, level, heading) in enumerate(headings):
        end = next((later for later, later_level, _ in headings[position + 1:]
                    if later_level <= level), len(lines))
        text = _COMMENT.sub("", "\n".join(lines[index + 1:end]))
        sections.setdefault(heading, "\n".join(line.rstrip() for line in text.splitlines()).strip())
    return sections


def card_documentation(model_folder: Path) -> CardDocumentation:
    """The card's sections of the model's main documentation file; a warning naming the file
    and heading for each one that is missing or empty (never an error)."""
    source = main_documentation(model_folder)
    if source is None:
        return CardDocumentation(None, warnings=[
            f"{Path(model_folder) / DOCUMENTATION_DIR}/{Path(model_folder).name}.md does not "
            f"exist: the model card has no {', '.join(CARD_HEADINGS)}; write that file with "
            "those headings"])
    found = markdown_sections(source.read_text(encoding="utf-8"))
    documentation = CardDocumentation(source)
    for heading in CARD_HEADINGS:
        text = found.get(heading.casefold(), "")
        if text:
            documentation.sections[heading] = text
        else:
            state = "is empty" if heading.casefold() in found else "is missing"
            documentation.warnings.append(
                f"{source}: the heading '## {heading}' {state}; the model card leaves it out "
                "(add it to the file)")
    return documentation
