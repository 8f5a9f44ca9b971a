"""One run's studio page as one self-contained HTML file: CSS inline, images embedded as
data: URIs, no links to pages a file cannot reach. CI publishes it as a build artifact."""
import base64
from pathlib import Path

from flask import render_template

from shared_code.amltoolbox.local.workspace import LocalWorkspace
from .app import create_app
from .run_views import Image, run_page
from .workspace_files import image_type, resolve_inside

STYLESHEET = Path(__file__).resolve().parent / "static" / "studio.css"


def data_uri(root: Path, image: Image) -> str:
    """The image's bytes as a data: URI (read only from inside the workspace)."""
    path = resolve_inside(root, image.relative)
    encoded = base64.b64encode(path.read_bytes()).decode("ascii")
    return f"data:{image_type(path) or 'application/octet-stream'};base64,{encoded}"


def run_page_html(workspace: LocalWorkspace, run_id: str) -> str:
    """The studio's page of one run, as one HTML document."""
    page = run_page(workspace, run_id)
    with create_app(workspace.root).app_context():
        return render_template("run.html", page=page, refresh=None, standalone=True,
                               href=lambda endpoint, **values: None,
                               image_src=lambda image: data_uri(workspace.root, image),
                               css=STYLESHEET.read_text(encoding="utf-8"),
                               workspace_root=workspace.root)


def write_run_html(workspace: LocalWorkspace, run_id: str, target: Path) -> Path:
    """Write the run's page to `target` (its folder made if needed); the path written."""
    html = run_page_html(workspace, run_id)
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, encoding="utf-8")
    return target
