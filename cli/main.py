"""`storyguard` commands: check, fix, explain, rules, init, serve."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from storyguard import __version__
from storyguard.errors import ConfigError, PluginLoadError, RuleDefinitionError

FORMATS = ("text", "json", "sarif", "github", "rdjsonl", "html")
LEVELS = ("error", "warning", "info", "never")
_ORDER = {"info": 0, "warning": 1, "error": 2}

INIT_TEMPLATE = """\
# storyguard configuration: https://github.com/storyguard/storyguard (docs/configuration.md)
select = ["ALL"]
ignore = []
fail-on = "warning"
# "cn" cites China's Measures and laws for all content, not only Chinese text.
profile = "global"
languages = ["en", "zh"]
exclude = ["vendor/", "*.min.html"]

[model]
enabled = true

[per-file-ignores]
# "press/archive/*.md" = ["SG2"]

[severity]
# SG203 = "info"
"""


def _fail(message: str) -> None:
    click.echo(f"storyguard: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="storyguard")
def main() -> None:
    """Lint fundraising content about children for labelling, identifying details,
    traffic-seeking use and missing consent, in English and Chinese."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="text", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write the report to FILE.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file (default: nearest storyguard.toml or pyproject.toml).")
@click.option("--select", help="Comma-separated codes, prefixes, names or categories to enable.")
@click.option("--ignore", help="Comma-separated codes, prefixes, names or categories to disable.")
@click.option("--lang", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True)
@click.option("--no-model", is_flag=True, help="Rules only: do not run the classifier.")
@click.option("--fail-on", type=click.Choice(LEVELS), help="Exit 1 when a finding is at or above this level [default: warning].")
@click.option("--redact/--no-redact", default=None, help="Mask excerpts (default: on for sarif, github, rdjsonl).")
@click.option("--stdin-filename", help="Name (and so format) of the document read from '-'.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=0,
              help="Worker processes [default: 0, one per core once there are enough files to pay for "
                   "starting them]. Each loads its own model; output is the same for any N.")
@click.option("--no-cache", is_flag=True, help="Lint every file again, even if it and the setup are unchanged.")
def check(paths, output_format, output, config_path, select, ignore, lang, no_model, fail_on, redact, stdin_filename,
          jobs, no_cache) -> None:
    """Check files, directories, or '-' (standard input)."""
    from storyguard.engine import Linter, resolve_config

    paths = list(paths) or ["."]
    try:
        config = resolve_config(paths, config_path)
        config = config.with_overrides(
            select=tuple(_split(select)) or None,
            ignore=tuple(_split(ignore)) or None,
            fail_on=fail_on,
        )
        linter = Linter(config, use_model=False if no_model else None, language=lang)
    except (ConfigError, PluginLoadError, RuleDefinitionError) as exc:
        _fail(str(exc))
    stdin_data = sys.stdin.buffer.read() if "-" in paths else None
    try:
        cache = None if no_cache else linter.cache()
        report = linter.lint_paths(paths, stdin_data=stdin_data, stdin_filename=stdin_filename, jobs=jobs, cache=cache)
    except RuleDefinitionError as exc:
        _fail(f"a rule or lexicon is broken: {exc}")
    redact_excerpts = redact if redact is not None else (config.redact or output_format in ("sarif", "github", "rdjsonl"))
    text = _render(report, output_format, linter, redact_excerpts, output)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
    else:
        click.echo(text)
    if output_format != "text":
        for notice in linter.notices:
            click.echo(f"storyguard: note: {notice}", err=True)
    sys.exit(_exit_code(report, config.fail_on))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--unsafe", is_flag=True, help="Also apply fixes that change meaning (labels, names, share demands).")
@click.option("--diff", "show_diff", is_flag=True, help="Print a unified diff and write nothing.")
@click.option("--in-place", "in_place", is_flag=True, help="Strip location metadata from images themselves instead of writing stripped copies.")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file (default: nearest storyguard.toml or pyproject.toml).")
@click.option("--select", help="Comma-separated codes, prefixes, names or categories to fix.")
@click.option("--ignore", help="Comma-separated codes, prefixes, names or categories not to fix.")
@click.option("--lang", type=click.Choice(["auto", "en", "zh"]), default="auto", show_default=True)
@click.option("--no-model", is_flag=True, help="Rules only: do not run the classifier (its findings have no fixes).")
def fix(paths, unsafe, show_diff, in_place, config_path, select, ignore, lang, no_model) -> None:
    """Apply safe fixes (redaction) to files; --unsafe adds rewrites; --diff only shows them.

    Exit status: 0 when done (or nothing to fix), 1 when --diff shows changes still to make,
    2 when a file could not be fixed (it is then left exactly as it was).
    """
    from storyguard.engine import Linter, resolve_config
    from storyguard.fixer import FixOptions, fix_paths

    paths = list(paths) or ["."]
    if "-" in paths:
        _fail("fix rewrites files; it cannot read standard input (use `check -` for a report)")
    try:
        config = resolve_config(paths, config_path).with_overrides(
            select=tuple(_split(select)) or None, ignore=tuple(_split(ignore)) or None, fail_on=None,
        )
        linter = Linter(config, use_model=False if no_model else None, language=lang)
    except (ConfigError, PluginLoadError, RuleDefinitionError) as exc:
        _fail(str(exc))
    options = FixOptions(unsafe=unsafe, dry_run=show_diff, in_place_images=in_place)
    results = fix_paths(linter, paths, options)
    failed = any(result.error for result in results)
    for result in results:
        if result.error:
            click.echo(f"{result.path}: error: {result.error}", err=True)
        if show_diff and result.diff:
            click.echo(result.diff, nl=False)
        verb = "would fix" if show_diff else "fixed"
        if result.applied:
            click.echo(f"{result.path}: {verb} {len(result.applied)} finding(s)", err=show_diff)
        for written in result.files_written:
            click.echo(f"{result.path}: {'would write' if show_diff else 'wrote'} {written} without location metadata", err=show_diff)
        if result.deferred:
            click.echo(f"{result.path}: {result.deferred} overlapping fix(es) not applied; run fix again or edit by hand", err=True)
        for code, why in result.not_applicable:
            click.echo(f"{result.path}: {code} needs a hand edit: {why}", err=True)
    fixed = sum(len(result.applied) for result in results)
    click.echo(f"{'Would fix' if show_diff else 'Fixed'} {fixed} finding(s) in {sum(r.changed for r in results)} file(s).", err=True)
    if not unsafe and not show_diff:
        click.echo("Unsafe fixes (labels, names, share demands) are applied only with --unsafe; `storyguard check` lists what remains.", err=True)
    if failed:
        sys.exit(2)
    sys.exit(1 if show_diff and fixed else 0)


def _render(report, output_format: str, linter, redact_excerpts: bool, output: str | None) -> str:
    from . import formats

    if output_format == "json":
        return formats.render_json(report, redact_excerpts=redact_excerpts)
    if output_format == "text":
        colour = output is None and sys.stdout.isatty()
        return formats.render_text(report, colour=colour, redact_excerpts=redact_excerpts, notices=linter.notices)
    from . import ci_formats

    return ci_formats.render(output_format, report, linter.registry, redact_excerpts=redact_excerpts)


def _exit_code(report, fail_on: str) -> int:
    if report.has_errors():
        return 2
    worst = report.worst_severity()
    if fail_on != "never" and worst is not None and _ORDER[worst] >= _ORDER[fail_on]:
        return 1
    return 0


def _split(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show a rule's documentation and the guidelines it rests on."""
    registry = _registry()
    rule = registry.get(code)
    if rule is None:
        _fail(f"unknown rule {code!r}; `storyguard rules` lists them")
    sections = rule.doc_sections()
    click.echo(f"{rule.code} {rule.name} ({rule.category}, default severity {rule.severity}, languages {', '.join(rule.languages)})")
    click.echo("")
    click.echo(sections.get("summary", ""))
    for title in ("What it flags", "Why it matters", "How to fix", "Examples"):
        click.echo(f"\n{title}:\n{sections.get(title, '')}")
    click.echo("\nReferences:")
    for ref in rule.references:
        reference = registry.catalogue.get(ref)
        click.echo(f"  {reference.id}  {reference.title}\n      {reference.url}\n      {reference.summary}")


def _registry():
    from storyguard.registry import Registry

    try:
        return Registry.from_entry_points()
    except (PluginLoadError, RuleDefinitionError) as exc:
        _fail(str(exc))


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["table", "json", "markdown"]), default="table", show_default=True)
def list_rules(output_format: str) -> None:
    """List every registered rule."""
    from . import formats

    registry = _registry()
    if output_format == "json":
        click.echo(formats.rules_json(registry.rules))
    elif output_format == "markdown":
        click.echo(formats.render_rules_markdown(registry.rules, registry.catalogue), nl=False)
    else:
        for rule in registry.rules:
            click.echo(f"{rule.code}  {rule.name:<26} {rule.category:<12} {rule.severity:<8} {','.join(rule.languages):<6} {registry.plugin_of(rule.code)}")


@main.command()
@click.option("--force", is_flag=True, help="Overwrite an existing storyguard.toml.")
def init(force: bool) -> None:
    """Write a commented storyguard.toml in the current directory."""
    target = Path("storyguard.toml")
    if target.exists() and not force:
        _fail("storyguard.toml already exists (use --force to overwrite)")
    target.write_text(INIT_TEMPLATE, encoding="utf-8")
    click.echo(f"wrote {target}")


from .serve_command import serve  # noqa: E402 - registered after the group is defined

main.add_command(serve)


if __name__ == "__main__":  # pragma: no cover
    main()
