"""Configuration: `storyguard.toml` or `[tool.storyguard]` in pyproject.toml, found by
walking up from the target, validated against one JSON Schema; unknown keys are rejected
with a "did you mean" hint."""

from __future__ import annotations

import difflib
import re
import json
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from .errors import ConfigError
from .limits import DEFAULT_MAX_SEGMENTS, DEFAULT_TIME_BUDGET

DEFAULT_EXCLUDES = (".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".tox", ".mypy_cache", "dist", "build")
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024


def config_schema() -> dict[str, Any]:
    return json.loads(resources.files("storyguard").joinpath("schemas/config.schema.json").read_text("utf-8"))


@dataclass(frozen=True)
class Config:
    select: tuple[str, ...] = ("ALL",)
    ignore: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    severity: tuple[tuple[str, str], ...] = ()
    fail_on: str = "warning"
    languages: tuple[str, ...] = ("en", "zh")
    profile: str = "global"
    model_enabled: bool = True
    model_threshold: float | None = None
    model_support: int | None = None
    lexicons: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    max_file_size: int = DEFAULT_MAX_FILE_SIZE
    max_segments: int = DEFAULT_MAX_SEGMENTS
    time_budget: float = DEFAULT_TIME_BUDGET  # seconds per file; 0 turns the limit off
    redact: bool = False
    source: str | None = None  # the file it came from
    root: Path | None = None  # its folder: exclude and per-file-ignores patterns are relative to it

    def with_overrides(self, **changes: Any) -> Config:
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        values.update({key: value for key, value in changes.items() if value is not None})
        return Config(**values)

    def ignored_for(self, path: str) -> tuple[str, ...]:
        relative = _relative(path, self.root)
        out: list[str] = []
        for pattern, selectors in self.per_file_ignores:
            if _glob_match(relative, pattern):
                out.extend(selectors)
        return tuple(out)

    def excludes(self, path: str) -> bool:
        relative = _relative(path, self.root)
        parts = PurePosixPath(relative).parts
        if any(part in DEFAULT_EXCLUDES for part in parts):
            return True
        return any(_glob_match(relative, pattern) for pattern in self.exclude)


def _relative(path: str, root: Path | None) -> str:
    resolved = Path(path).resolve()
    if root is not None:
        try:
            return resolved.relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return Path(path).as_posix()


def _glob_match(relative: str, pattern: str) -> bool:
    """gitignore semantics: a pattern with no inner slash matches at any depth, one with a
    slash is anchored at the config's folder; `*` stops at `/`, `**` crosses folders, and a
    trailing `/` matches the folder and everything below it."""
    pattern = pattern.strip()
    if not pattern or pattern.startswith("#"):
        return False
    directory_only = pattern.endswith("/")
    pattern = pattern.rstrip("/")
    anchored = "/" in pattern
    body = _glob_regex(pattern.lstrip("/"))
    prefix = "" if anchored else r"(?:.*/)?"
    # Whether a path is a folder is not known from its name, so `dir/` also matches a file
    # named `dir`; what matters is that everything below the folder is excluded.
    del directory_only
    suffix = r"(?:/.*)?"
    return re.fullmatch(prefix + body + suffix, relative) is not None


def _glob_regex(pattern: str) -> str:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append(r"(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(r".*")
            i += 2
        elif pattern[i] == "*":
            out.append(r"[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append(r"[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return "".join(out)


def find_config(start: Path) -> Path | None:
    """The nearest storyguard.toml, or pyproject.toml with a [tool.storyguard] table, above `start`."""
    directory = start if start.is_dir() else start.parent
    for folder in (directory.resolve(), *directory.resolve().parents):
        candidate = folder / "storyguard.toml"
        if candidate.is_file():
            return candidate
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file():
            try:
                if "storyguard" in tomllib.loads(pyproject.read_text("utf-8")).get("tool", {}):
                    return pyproject
            except (tomllib.TOMLDecodeError, OSError, UnicodeDecodeError):
                continue
    return None


def load_config(path: Path) -> Config:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read config: {exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from exc
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("storyguard", {})
    return config_from_mapping(data, source=str(path), root=path.parent)


def config_from_mapping(data: Any, *, source: str = "<config>", root: Path | None = None) -> Config:
    validate_config(data, source)
    return Config(
        select=tuple(data.get("select", ("ALL",))) + tuple(data.get("extend-select", ())),
        ignore=tuple(data.get("ignore", ())),
        per_file_ignores=tuple((glob, tuple(selectors)) for glob, selectors in data.get("per-file-ignores", {}).items()),
        severity=tuple(data.get("severity", {}).items()),
        fail_on=data.get("fail-on", "warning"),
        languages=tuple(data.get("languages", ("en", "zh"))),
        profile=data.get("profile", "global"),
        model_enabled=data.get("model", {}).get("enabled", True),
        model_threshold=data.get("model", {}).get("threshold"),
        model_support=data.get("model", {}).get("support"),
        lexicons=tuple((root or Path.cwd()) / extra for extra in data.get("lexicons", ())),
        exclude=tuple(data.get("exclude", ())),
        max_file_size=data.get("max-file-size", DEFAULT_MAX_FILE_SIZE),
        max_segments=data.get("max-segments", DEFAULT_MAX_SEGMENTS),
        time_budget=data.get("time-budget", DEFAULT_TIME_BUDGET),
        redact=data.get("redact", False),
        source=source,
        root=root,
    )


def validate_config(data: Any, source: str) -> None:
    schema = config_schema()
    import jsonschema  # deferred: a run with no config file never needs it

    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(data), key=lambda error: (len(error.path), list(map(str, error.path))))
    if not errors:
        return
    error = errors[0]
    where = ".".join(str(part) for part in error.path)
    if error.validator == "additionalProperties":
        known = list(_properties_at(schema, list(error.path)))
        unknown = [key for key in (error.instance or {}) if key not in known]
        hints = []
        for key in unknown:
            close = difflib.get_close_matches(key, known, n=1)
            hints.append(f"unknown key {key!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
        raise ConfigError(f"{source}: {where + ': ' if where else ''}{'; '.join(hints)}")
    raise ConfigError(f"{source}: {where or '(top level)'}: {error.message}")


def _properties_at(schema: dict[str, Any], path: list[Any]) -> dict[str, Any]:
    node = schema
    for part in path:
        node = node.get("properties", {}).get(part, {})
    return node.get("properties", {})
