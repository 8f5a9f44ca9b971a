"""What the inference server always applies, whatever the entry script does: the body limit
(a 413, read no further), and a 400 for a body that cannot be decoded, never a 500."""
from .request_limits import limit_request_bodies
from .responses import reject_undecodable_bodies, require_json_bodies
from .settings import ServingSettings


def install_protections(settings: ServingSettings) -> None:
    """Add the protections to the server's routes while it sets them up (once per app; no-op
    outside the server's set-up)."""
    limit_request_bodies(settings.section)
    reject_undecodable_bodies()
    require_json_bodies()
