"""The model registry seen by evaluate (the champion, with its files) and register: one
interface, implemented by local/registry.py and azure/registry.py; a step's context holds
the one for where it runs."""
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

SHA256_PROPERTY = "sha256"


class ChampionChangedError(RuntimeError):
    """Another run registered a version after this model was evaluated."""


@dataclass(frozen=True)
class ChampionModel:
    """A registered model version and the folder its files are in; `problem` says why those
    files cannot be used (missing, or changed since registration), when they cannot."""
    id: str
    sha256: str
    path: Path
    problem: str | None = None


@dataclass(frozen=True)
class RegistrationRequest:  # pylint: disable=too-many-instance-attributes  # what AML records
    """A model to register, with what the registry records beside its files."""
    name: str
    model_dir: Path
    sha256: str
    description: str = ""
    tags: dict = field(default_factory=dict)
    properties: dict = field(default_factory=dict)
    lineage: dict = field(default_factory=dict)
    run_id: str | None = None
    expected_champion: str | None = None  # 'name:version' evaluated against, None for none
    # False when evaluate named no champion (a summary.json with only the flag): then the
    # latest version is not checked against one.
    champion_checked: bool = True
    # evaluate's summary.json, for what a registration writes beside the model (its card)
    summary: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Registration:
    """The registered version, and whether this request made it (False: the same files were
    registered already as that version)."""
    model_id: str
    new: bool


class Registry(Protocol):
    """Where models are registered: the local workspace or an Azure ML workspace."""

    def find_champion(self, model_name: str) -> ChampionModel | None:
        """The latest registered version of `model_name` with its files, or None."""

    def register(self, request: RegistrationRequest) -> Registration:
        """Register the request's model as the next version of its name; ChampionChangedError
        when the latest version is no longer the `expected_champion`."""
