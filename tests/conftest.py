"""Shared fixtures: one registry and one rules-only Linter per test session."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def registry():
    from storyguard.registry import Registry

    return Registry.from_entry_points()


@pytest.fixture(scope="session")
def rules_linter(registry):
    from storyguard.config import Config
    from storyguard.engine import Linter

    return Linter(Config(model_enabled=False), registry)


@pytest.fixture(scope="session")
def report_validator():
    schema = json.loads(resources.files("storyguard").joinpath("schemas/report.schema.json").read_text("utf-8"))
    return jsonschema.Draft202012Validator(schema)
