"""A model card's facts (card_facts.py) as Markdown, and as HTML: a fragment the studio puts in
its own page, or one self-contained file (CSS inline, plots embedded) that CI publishes.

Only the standard library: the studio's small environment renders cards too.
"""
import base64
import json
from html import escape
from pathlib import Path

from .documentation import CARD_HEADINGS

NOT_RECORDED = "not recorded"
NOT_RECORDED_BY = f"({NOT_RECORDED})"
_CSS = """body{font-family:system-ui,sans-serif;margin:2em auto;max-width:60em;color:#222}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.2em .6em;
text-align:left;vertical-align:top}.hash{font-family:monospace;font-size:.9em}
pre{background:#f5f5f5;padding:.5em;overflow:auto}.notes{color:#8a5a00}img{max-width:100%}"""


def _number(value) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "-" if value is None else str(value)


def metric_rows(evaluation: dict) -> tuple[list[str], list[list[str]]]:
    """The metrics table: this version's beside the champion's and the baseline's."""
    columns = [("this version", evaluation.get("metrics") or {})]
    if evaluation.get("champion"):
        columns.append((f"champion {evaluation['champion']['id']}",
                        evaluation["champion"].get("metrics") or {}))
    if evaluation.get("baseline"):
        columns.append(("naive baseline", evaluation["baseline"].get("metrics") or {}))
    names = list(dict.fromkeys(name for _, metrics in columns for name in metrics))
    return (["metric", *(label for label, _ in columns)],
            [[name, *(_number(metrics.get(name)) for _, metrics in columns)] for name in names])


def _dataset_line(dataset: dict) -> str:
    if "note" in dataset:
        return f"{dataset['usage']} ({dataset['input']}): {dataset['id']}: {dataset['note']}"
    if "rows" in dataset:
        size = f", {dataset['rows']} rows in {dataset['files']} file(s)"
    else:  # a workspace in Azure ML describes a dataset without counting its files
        size = f", {dataset['files']} files" if "files" in dataset else ""
    return (f"{dataset['usage']} ({dataset['input']}): {dataset['id']}, {dataset['type']}"
            f"{size}, sha256 {dataset['sha256']}")


def _facts_lines(card: dict) -> list[tuple[str, str]]:
    model, code, registered = card["model"], card["code"], card["registered"]
    environment = card.get("environment") or {}
    lines = [("sha256", model["sha256"]),
             ("registered", f"{registered['at']} by {registered.get('by') or NOT_RECORDED_BY}, "
                            f"run {registered.get('run_id') or NOT_RECORDED}"),
             ("code version", (f"git {code['commit']}"
                               + (" (with uncommitted changes)"
                                  if code.get("uncommitted_changes") == "True" else ""))
              if code.get("commit") else NOT_RECORDED)]
    for key, label in (("conda_file", "conda environment"), ("lock_file", "environment lock")):
        if key in environment:
            lines.append((label, f"{environment[key]['path']} (sha256 "
                                 f"{environment[key]['sha256']})"))
    return lines


def card_markdown(card: dict) -> str:
    """The card as Markdown; plots are named by their path in the workspace."""
    model = card["model"]
    out = [f"# Model card: {model['id']}", "", model["description"] or "", ""]
    out += [f"- **{label}**: {value}" for label, value in _facts_lines(card)] + [""]
    sections = (card.get("documentation") or {}).get("sections") or {}
    for heading in CARD_HEADINGS:
        if heading in sections:
            out += [f"## {heading}", "", sections[heading], ""]
    out += ["## Data", ""]
    out += [f"- {_dataset_line(d)}" for d in card["datasets"]] or [f"- {NOT_RECORDED}"]
    out += ["", "## Evaluation at registration", ""]
    evaluation = card.get("evaluation") or {}
    if evaluation:
        out += [f"Decision: register_trained_model = "
                f"{str(evaluation.get('register_trained_model')).lower()}. "
                f"Reason: {evaluation.get('reason') or NOT_RECORDED}.", ""]
        header, rows = metric_rows(evaluation)
        if rows:
            out += ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
            out += ["| " + " | ".join(row) + " |" for row in rows]
            out.append("")
    else:
        out += [NOT_RECORDED, ""]
    out += [f"- plot {p['name']}: {p['path']}" for p in card.get("plots", [])]
    out += _schema_markdown(card.get("schema") or {})
    if card.get("notes") or card.get("warnings"):
        out += ["## What was not recorded", ""]
        out += [f"- {line}" for line in [*card.get("warnings", []), *card.get("notes", [])]]
    return "\n".join(out).rstrip() + "\n"


def _schema_markdown(schema: dict) -> list[str]:
    if not schema:
        return ["", "## Input", "", NOT_RECORDED, ""]
    return ["", "## Input", "", "Example request:", "", "```json",
            json.dumps(schema["example_request"]), "```", "", "Example response:", "", "```json",
            json.dumps(schema.get("example_response")), "```", "",
            "Input schema:", "", "```json", json.dumps(_without_example(schema["input"])), "```",
            ""]


def _without_example(schema: dict) -> dict:
    return {key: value for key, value in schema.items() if key != "example"}


def _table(header: list[str], rows: list[list[str]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                   for row in rows)
    return f'<table class="card-metrics"><tr>{head}</tr>{body}</table>'


def _paragraphs(text: str) -> str:
    """Documentation text as paragraphs and bullet lists, escaped (no HTML passes through)."""
    blocks = []
    for block in text.split("\n\n"):
        lines = [line.strip() for line in block.strip().splitlines()]
        if lines and all(line.startswith(("- ", "* ")) for line in lines):
            blocks.append("<ul>" + "".join(f"<li>{escape(line[2:])}</li>" for line in lines)
                          + "</ul>")
        elif lines:
            blocks.append(f"<p>{escape(' '.join(lines))}</p>")
    return "".join(blocks)


def card_html_fragment(card: dict, image_src) -> str:
    """The card's body as HTML; `image_src(path)` gives a plot's src (a URL, or a data: URI)."""
    model = card["model"]
    parts = [f'<section class="model-card"><h1>Model card: {escape(model["id"])}</h1>',
             f"<p>{escape(model['description'] or '')}</p>", '<table class="pairs facts">']
    parts += [f"<tr><th>{escape(label)}</th><td>{escape(value)}</td></tr>"
              for label, value in _facts_lines(card)]
    parts.append("</table>")
    sections = (card.get("documentation") or {}).get("sections") or {}
    for heading in CARD_HEADINGS:
        if heading in sections:
            parts.append(f"<h2>{escape(heading)}</h2>{_paragraphs(sections[heading])}")
    parts.append("<h2>Data</h2><ul>")
    parts += [f"<li>{escape(_dataset_line(d))}</li>" for d in card["datasets"]]
    parts.append("</ul><h2>Evaluation at registration</h2>")
    evaluation = card.get("evaluation") or {}
    if evaluation:
        parts.append(f"<p>Decision: register_trained_model = "
                     f"{escape(str(evaluation.get('register_trained_model')).lower())}. "
                     f"Reason: {escape(evaluation.get('reason') or NOT_RECORDED)}.</p>")
        header, rows = metric_rows(evaluation)
        if rows:
            parts.append(_table(header, rows))
    else:
        parts.append(f"<p>{NOT_RECORDED}</p>")
    for plot in card.get("plots", []):
        source = image_src(plot["path"])
        if source:
            parts.append(f'<figure><img src="{escape(source)}" alt="{escape(plot["name"])}">'
                         f"<figcaption>{escape(plot['name'])}</figcaption></figure>")
    schema = card.get("schema") or {}
    parts.append("<h2>Input</h2>")
    if schema:
        parts.append("<p>Example request:</p><pre>"
                     f"{escape(json.dumps(schema['example_request'], indent=1))}</pre>"
                     "<p>Example response:</p><pre>"
                     f"{escape(json.dumps(schema.get('example_response'), indent=1))}</pre>"
                     "<p>Input schema:</p><pre>"
                     f"{escape(json.dumps(_without_example(schema['input']), indent=1))}</pre>")
    else:
        parts.append(f"<p>{NOT_RECORDED}</p>")
    missing = [*card.get("warnings", []), *card.get("notes", [])]
    if missing:
        parts.append('<h2>What was not recorded</h2><ul class="notes">'
                     + "".join(f"<li>{escape(line)}</li>" for line in missing) + "</ul>")
    parts.append("</section>")
    return "\n".join(parts)


def embedded_image(workspace_root: Path):
    """image_src for a self-contained file: each plot as a data: URI (None when missing)."""
    def source(relative: str) -> str | None:
        path = Path(workspace_root) / relative
        if not path.is_file():
            return None
        kind = "svg+xml" if path.suffix == ".svg" else path.suffix.lstrip(".").lower() or "png"
        return f"data:image/{kind};base64,{base64.b64encode(path.read_bytes()).decode()}"
    return source


def card_html(card: dict, workspace_root: Path) -> str:
    """The card as one HTML file: CSS inline, plots embedded."""
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>Model card {escape(card['model']['id'])}</title><style>{_CSS}</style>"
            "</head><body>\n" + card_html_fragment(card, embedded_image(workspace_root))
            + "\n</body></html>\n")
