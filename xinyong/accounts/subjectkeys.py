"""How accounts reach the subject registry without importing it (issue 14; the tiers of pyproject's
import-linter contract put `subjects` above `accounts`).

Registration and verification need three things the subjects app owns: the GB 32100 and GB 11643 validators
(with their Chinese per-field errors), the keyed hash and mask of a resident ID, and the lookup of a subject
by its code. `accounts` names them here as a port (`SubjectDirectory`); the subjects app installs its
adapter when Django starts (subjects/apps.py → subjects/directory.py), so every static import still points
down the tiers and every table is still read by its owner.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SubjectKey:
    """A validated subject code as the registry keys it. `kind` is "uscc" (value: the code) or "ric" (value:
    the resident ID's keyed hash, display: its masked form); a clear resident ID never leaves the adapter."""

    kind: str
    value: str
    display: str


@dataclass(frozen=True)
class SubjectFound:
    id: int
    name: str


class SubjectDirectory(Protocol):
    def organisation_key(self, raw: str, *, field: str) -> SubjectKey:
        """A valid USCC, or a 400 DomainError whose `errors` name `field`."""
        ...

    def person_key(self, raw: str, *, field: str, on_date: dt.date) -> SubjectKey:
        """A valid resident ID of an adult on `on_date`, hashed and masked, or a 400 naming `field`."""
        ...

    def subject_find(self, key: SubjectKey) -> SubjectFound | None:
        """The registered subject the key leads to (corrected codes and merges followed), or None."""
        ...

    def subject_by_code(self, raw: str) -> SubjectFound:
        """The subject any of its codes (USCC, resident ID, registration number …) names, or the registry's
        own 400 (invalid code) / 404 (no such subject), as the API's lookup answers."""
        ...


_installed: list[SubjectDirectory] = []


def directory_install(directory: SubjectDirectory) -> None:
    """Called once by the subjects app when Django starts."""
    _installed[:] = [directory]


def directory() -> SubjectDirectory:
    if not _installed:
        raise RuntimeError("the subjects app is not installed: no subject directory for accounts")
    return _installed[0]
