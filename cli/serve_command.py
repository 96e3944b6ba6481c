"""`storyguard serve`: run the CMS publish hook and the writer's page (wired in cli/main.py)."""

from __future__ import annotations

import sys

import click

from storyguard.errors import ConfigError, PluginLoadError, RuleDefinitionError


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to bind; keep loopback unless a proxy fronts it.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option("--token-file", type=click.Path(exists=True, dir_okay=False),
              help="File holding the bearer token (else STORYGUARD_TOKEN; never pass a token as an argument).")
@click.option("--max-body", default=2_000_000, show_default=True, type=click.IntRange(1), help="Largest request body in bytes (413 beyond).")
@click.option("--timeout", default=10.0, show_default=True, type=click.FloatRange(0.1), help="Seconds allowed per request (504 beyond).")
@click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False), help="Config file (default: nearest storyguard.toml).")
@click.option("--no-model", is_flag=True, help="Rules only: do not load the classifier.")
def serve(host: str, port: int, token_file: str | None, max_body: int, timeout: float, config_path: str | None, no_model: bool) -> None:
    """Serve POST /v1/lint, POST /v1/publish-check and the draft-checking page at /."""
    try:
        from .server import run
    except ImportError as exc:  # starlette/uvicorn live in the `serve` extra
        click.echo(f"storyguard: serve needs the server extra: pip install 'storyguard[serve]' ({exc})", err=True)
        sys.exit(2)
    from storyguard.engine import resolve_config

    try:
        config = resolve_config(["."], config_path)
        run(host, port, token_file, max_body=max_body, timeout=timeout, use_model=False if no_model else None, config=config)
    except (ConfigError, PluginLoadError, RuleDefinitionError, OSError) as exc:
        click.echo(f"storyguard: {exc}", err=True)
        sys.exit(2)
