"""How the studio writes times, durations and numbers."""
from datetime import datetime


def seconds_between(started: str | None, ended: str | None) -> float | None:
    """Seconds from one ISO time to another, or None when either is missing."""
    if not started or not ended:
        return None
    return (datetime.fromisoformat(ended) - datetime.fromisoformat(started)).total_seconds()


def duration_text(seconds: float | None) -> str:
    """0.28 s, 12.5 s, 3 min 05 s, 1 h 02 min; '-' when unknown."""
    if seconds is None:
        return "-"
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, secs = divmod(round(seconds), 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def time_text(iso: str | None) -> str:
    """2026-11-26T02:20:16.123+00:00 -> 2026-11-26 02:20:16 (UTC, as recorded)."""
    return iso[:19].replace("T", " ") if iso else "-"


def value_text(value) -> str:
    """A metric or property as people read it: floats to 4 significant digits."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    return str(value) if isinstance(value, int) else f"{value:.4g}"


def is_number(value) -> bool:
    """A number that can be compared (not a bool, a text or a list)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)
