"""Lines a longer name pushed past pylint's limit, wrapped again as a person would.

new-model renames a folder throughout; `model_a` becoming `canal_level_forecasting` can make
a comment, a docstring line or an import longer than testing/.pylintrc allows. Those are
wrapped here; a line of other code is left for the checklist rather than hidden behind a
`pylint: disable`.
"""
import io
import re
import textwrap
import tokenize

MAX_LINE_LENGTH = 100  # testing/.pylintrc's max-line-length
_IMPORT = re.compile(r"^(?P<indent>\s*)from (?P<module>[\w.]+) import (?P<names>[\w, ]+?)\s*$")


def _layout(text: str) -> tuple[dict[int, int], set[int]]:
    """{line: column} of each comment, and the lines of strings that are prose: the inner
    lines of a multi-line string, and its first and last when it starts and ends them (a
    docstring)."""
    lines = text.splitlines()
    comments, prose = {}, set()
    try:
        for token in tokenize.generate_tokens(io.StringIO(text).readline):
            if token.type == tokenize.COMMENT:
                comments[token.start[0]] = token.start[1]
            elif token.type == tokenize.STRING and \
                    token.string.lstrip("rRuU")[:3] in ('"""', "'''"):
                (first, start), (last, end) = token.start, token.end
                prose.update(range(first + 1, last))
                if not lines[first - 1][:start].strip() and not lines[last - 1][end:].strip():
                    prose.update((first, last))
    except (tokenize.TokenError, SyntaxError):
        return {}, set()
    return comments, prose


def _wrapped(indent: str, prefix: str, words: str) -> list[str]:
    return textwrap.wrap(words, width=MAX_LINE_LENGTH, initial_indent=indent + prefix,
                         subsequent_indent=indent + prefix, break_long_words=False,
                         break_on_hyphens=False)


def _rewrap_line(line: str, number: int, comments: dict[int, int], prose: set[int]) -> list[str]:
    indent = line[:len(line) - len(line.lstrip())]
    if number in comments:
        column = comments[number]
        comment = line[column:].lstrip("#").strip()
        if column == len(indent):
            return _wrapped(indent, "# ", comment)
        code = line[:column].rstrip()  # a trailing comment goes on its own lines, above
        return [*_wrapped(indent, "# ", comment), *_rewrap_line(code, number, {}, set())]
    if number in prose:
        return _wrapped(indent, "", line.strip())
    match = _IMPORT.match(line)
    if match:
        opening = f"{match['indent']}from {match['module']} import ("
        names = ", ".join(name.strip() for name in match["names"].split(",")) + ")"
        if len(opening) > MAX_LINE_LENGTH // 2:  # a hanging indent leaves the names more room
            return [opening, *_wrapped(match["indent"] + " " * 4, "", names)]
        return textwrap.wrap(names, width=MAX_LINE_LENGTH, initial_indent=opening,
                             subsequent_indent=" " * len(opening), break_long_words=False,
                             break_on_hyphens=False)
    return [line]


def rewrap_long_lines(text: str) -> str:
    """`text` (Python source) with its over-long comments, docstring lines and imports wrapped
    within MAX_LINE_LENGTH; other lines as they were."""
    lines = text.splitlines()
    if all(len(line) <= MAX_LINE_LENGTH for line in lines):
        return text
    comments, prose = _layout(text)
    out = []
    for number, line in enumerate(lines, start=1):
        out += _rewrap_line(line, number, comments, prose) if len(line) > MAX_LINE_LENGTH \
            else [line]
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
