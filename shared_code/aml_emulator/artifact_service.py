"""The artifact service and its blob storage, emulated.

An artifact is a file at <origin>/<container>/<path> (a run's images are under
ExperimentRun/dcid.<run id>/, a model's files under LocalUpload/<container>/). The
service hands out a SAS URL on the workspace's storage account for each; the SDK then
PUTs or GETs the bytes there. Both land in store.BLOBS/<storage container>/.
"""
import base64
import hashlib
from email.utils import formatdate
from urllib.parse import quote

from .http_transport import EmulatedRequest, EmulatedResponse
from .identity import ARTIFACT_CONTAINER, SAS_QUERY, STORAGE_HOST
from .store import BLOBS, EmulatedStore, utc_now


def artifact_path(origin: str, container: str, path: str) -> str:
    """Where an artifact's bytes are, within the artifact storage container."""
    return f"{origin}/{container}/{path}"


def _content_information(origin: str, container: str, path: str) -> dict:
    blob = quote(artifact_path(origin, container, path))
    url = f"https://{STORAGE_HOST}/{ARTIFACT_CONTAINER}/{blob}"
    return {"contentUri": f"{url}?{SAS_QUERY}", "origin": origin, "container": container,
            "path": path}


def _artifact(origin: str, container: str, path: str) -> dict:
    return {"artifactId": artifact_path(origin, container, path), "origin": origin,
            "container": container, "path": path, "createdTime": utc_now()}


def create_empty_artifacts(_store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Create artifacts (their bytes come next, to their SAS URLs)."""
    origin, container = request.params["origin"], request.params["container"]
    paths = [item["path"] for item in (request.json() or {}).get("paths", [])]
    return EmulatedResponse(body={
        "artifacts": {path: _artifact(origin, container, path) for path in paths},
        "artifactContentInformation": {path: _content_information(origin, container, path)
                                       for path in paths},
        "errors": {}})


def contents_under_prefix(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Where to read every artifact whose path starts with a prefix."""
    origin, container, prefix = (request.params[k] for k in ("origin", "container", "path"))
    root = store.path(BLOBS, ARTIFACT_CONTAINER, origin, container)
    found = sorted(file.relative_to(root).as_posix() for file in root.rglob("*")
                   if file.is_file() and file.relative_to(root).as_posix().startswith(prefix)) \
        if root.is_dir() else []
    return EmulatedResponse(body={"value": [_content_information(origin, container, path)
                                            for path in found], "continuationToken": None})


def _blob_headers(content: bytes) -> dict:
    digest = base64.b64encode(hashlib.md5(content).digest()).decode()  # noqa: S324  # as storage does
    return {"ETag": f'"0x{hashlib.sha256(content).hexdigest()[:16].upper()}"',
            "Last-Modified": formatdate(usegmt=True), "Content-MD5": digest,
            "x-ms-request-server-encrypted": "true", "x-ms-version": "2019-02-02"}


def put_blob(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Write a blob's bytes (a block blob, uploaded whole)."""
    target = store.path(BLOBS, request.params["container"], request.params["path"])
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(request.body)
    return EmulatedResponse(201, b"", _blob_headers(request.body))


def _requested_range(request: EmulatedRequest, size: int) -> tuple[int, int] | None:
    """The byte range a ranged read asks for (x-ms-range or Range: bytes=start-end)."""
    headers = {key.lower(): value for key, value in request.headers.items()}
    asked = headers.get("x-ms-range") or headers.get("range")
    if not asked or not asked.startswith("bytes="):
        return None
    start, _, end = asked[len("bytes="):].partition("-")
    return int(start), min(int(end) if end else size - 1, size - 1)


def get_blob(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """Read a blob's bytes, whole or a range of them (the blob client reads in ranges)."""
    source = store.path(BLOBS, request.params["container"], request.params["path"])
    if not source.is_file():
        return EmulatedResponse(404, b"", {"x-ms-error-code": "BlobNotFound"})
    content = source.read_bytes()
    headers = {**_blob_headers(content), "x-ms-blob-type": "BlockBlob",
               "Content-Type": "application/octet-stream"}
    asked = _requested_range(request, len(content))
    if asked is None:
        return EmulatedResponse(200, content, headers)
    start, end = asked
    return EmulatedResponse(206, content[start:end + 1],
                            {**headers, "Content-Range": f"bytes {start}-{end}/{len(content)}"})


def blob_properties(store: EmulatedStore, request: EmulatedRequest) -> EmulatedResponse:
    """A blob's properties (its size, which the SDK checks after an upload)."""
    source = store.path(BLOBS, request.params["container"], request.params["path"])
    if not source.is_file():
        return EmulatedResponse(404, b"", {"x-ms-error-code": "BlobNotFound"})
    content = source.read_bytes()
    return EmulatedResponse(200, b"", {**_blob_headers(content), "x-ms-blob-type": "BlockBlob",
                                       "Content-Length": str(len(content)),
                                       "Content-Type": "application/octet-stream"})
