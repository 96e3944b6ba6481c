"""The guideline catalogue: stable ids for the frameworks every finding cites."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from importlib import resources

from .datacache import parsed_yaml
from .errors import RuleDefinitionError


@dataclass(frozen=True)
class Reference:
    id: str
    title: str
    url: str
    status: str  # "verified" or "partly"
    summary: str

    def as_json(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title, "url": self.url}


class Catalogue:
    """Read once per Registry; looked up by id."""

    def __init__(self, entries: list[Reference]) -> None:
        self._by_id = {entry.id: entry for entry in entries}

    @classmethod
    def load(cls) -> Catalogue:
        raw = parsed_yaml(resources.files("storyguard").joinpath("data/references.yml").read_bytes())
        return cls([Reference(**item) for item in raw])

    def __contains__(self, reference_id: str) -> bool:
        return reference_id in self._by_id

    def get(self, reference_id: str) -> Reference:
        try:
            return self._by_id[reference_id]
        except KeyError:
            raise RuleDefinitionError(f"unknown reference id {reference_id!r} (not in the catalogue)") from None

    @cached_property
    def ids(self) -> frozenset[str]:
        return frozenset(self._by_id)

    def __iter__(self):
        return iter(self._by_id.values())
