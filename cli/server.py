"""`storyguard serve`: the CMS publish hook and the writer's page, a thin adapter over `storyguard.lint`.

One Linter (and so one copy of the model) lives for the server's lifetime; linting runs in
worker threads so the event loop keeps answering; every request is size-capped, time-capped
and, when a token is configured, authenticated. Access logs never contain document text.
"""

from __future__ import annotations

import hmac
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import anyio
import jsonschema
from referencing import Registry as SchemaRegistry
from referencing import Resource
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import storyguard
from storyguard.config import Config, config_from_mapping
from storyguard.engine import Linter
from storyguard.errors import ConfigError, StoryguardError
from storyguard.report import report_schema

ACCESS_LOGGER = "storyguard.access"
DEFAULT_MAX_BODY = 2_000_000
DEFAULT_TIMEOUT = 10.0
CONFIG_CACHE_SIZE = 8
SCHEMA_NAMES = ("lint-request.schema.json", "lint-response.schema.json", "report.schema.json")
_ORDER = {"info": 0, "warning": 1, "error": 2}
STATIC_DIR = Path(__file__).with_name("static")
# The page may only talk to its own origin; nothing is fetched from elsewhere.
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


class HTTPError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status, headers=headers)


# -- schemas ---------------------------------------------------------------------------------


def load_schema(name: str) -> dict[str, Any]:
    if name == "report.schema.json":
        return report_schema()
    return json.loads(resources.files("cli").joinpath(f"schemas/{name}").read_text("utf-8"))


def schema_registry() -> SchemaRegistry:
    """The shipped schemas by $id, so lint-response can $ref the report schema."""
    resources_ = [Resource.from_contents(load_schema(name)) for name in SCHEMA_NAMES]
    return SchemaRegistry().with_resources((resource.id(), resource) for resource in resources_)


def response_validator(definition: str | None = None) -> jsonschema.Draft202012Validator:
    """A validator for the response schema, or for one of its $defs (`lint`, `publish-check`, `error`)."""
    schema = load_schema("lint-response.schema.json")
    if definition is not None:
        schema = {"$ref": f"{schema['$id']}#/$defs/{definition}"}
    return jsonschema.Draft202012Validator(schema, registry=schema_registry())


def openapi_document() -> dict[str, Any]:
    """Hand-written OpenAPI 3.1: the operations, with bodies referencing the served JSON Schemas."""
    request = {"$ref": "/v1/schema/lint-request.schema.json"}
    error = {"description": "Error", "content": {"application/json": {"schema": {"$ref": "/v1/schema/lint-response.schema.json#/$defs/error"}}}}
    common = {
        "400": {**error, "description": "Body is not JSON or does not match the request schema"},
        "401": {**error, "description": "Missing or wrong bearer token (only when the server has a token)"},
        "413": {**error, "description": "Body larger than the server's limit"},
        "504": {**error, "description": "Linting took longer than the server's time limit"},
    }

    def operation(summary: str, response_ref: str, operation_id: str) -> dict[str, Any]:
        return {"post": {
            "operationId": operation_id, "summary": summary, "security": [{"bearer": []}, {}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": request}}},
            "responses": {"200": {"description": "OK", "content": {"application/json": {"schema": {"$ref": response_ref}}}}, **common},
        }}

    return {
        "openapi": "3.1.0",
        "info": {"title": "storyguard hook server", "version": storyguard.__version__,
                 "description": "Lint fundraising drafts about children before they are published.",
                 "license": {"name": "MIT", "identifier": "MIT"}},
        "paths": {
            "/v1/lint": operation("Lint one document and return the report", "/v1/schema/lint-response.schema.json#/$defs/lint", "lint"),
            "/v1/publish-check": operation(
                "Decide whether a CMS may publish a document", "/v1/schema/lint-response.schema.json#/$defs/publish-check", "publishCheck",
            ),
            "/v1/schema": {"get": {"operationId": "schemas", "summary": "The request, response and report JSON Schemas",
                                   "responses": {"200": {"description": "Schemas by file name"}}}},
            "/v1/schema/{name}": {"get": {
                "operationId": "schema", "summary": "One JSON Schema",
                "parameters": [{"name": "name", "in": "path", "required": True, "schema": {"enum": list(SCHEMA_NAMES)}}],
                "responses": {"200": {"description": "The schema"}, "404": error},
            }},
            "/healthz": {"get": {"operationId": "health", "summary": "Liveness", "responses": {"200": {"description": "ok"}}}},
        },
        "components": {"securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
    }


# -- linting ---------------------------------------------------------------------------------


@dataclass
class LinterPool:
    """The shared Linter plus a small LRU of per-request-config Linters built on its registry.

    Every Linter here shares the base one's `shared` dict, so the model is loaded only once.
    Each Linter comes with its own lock: its state (jieba's lazy start, run notices) is not
    built for concurrent use, and the GIL leaves little to gain from it anyway.
    """

    base: Linter
    size: int = CONFIG_CACHE_SIZE
    base_lock: threading.Lock = field(default_factory=threading.Lock)
    _cache: OrderedDict[str, tuple[Linter, threading.Lock]] = field(default_factory=OrderedDict)
    _guard: threading.Lock = field(default_factory=threading.Lock)

    def for_config(self, config: dict[str, Any] | None) -> tuple[Linter, threading.Lock]:
        if not config:
            return self.base, self.base_lock
        key = json.dumps(config, sort_keys=True, ensure_ascii=False)
        with self._guard:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        parsed = config_from_mapping(config, source="request config")
        # The server's --no-model wins: a request may switch the model off, never on.
        linter = Linter(parsed, self.base.registry, use_model=self.base.use_model and parsed.model_enabled)
        linter.shared = self.base.shared
        with self._guard:
            entry = self._cache.setdefault(key, (linter, threading.Lock()))
            self._cache.move_to_end(key)
            while len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return entry


def _lint_sync(pool: LinterPool, body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    linter, lock = pool.for_config(body.get("config"))
    with lock:
        report = storyguard.lint(
            content=body["content"], format=body.get("format", "text"), filename=body.get("filename"),
            linter=linter, language=body.get("lang", "auto"),
        )
    return report.to_dict(), linter.config.fail_on


def publish_decision(report: dict[str, Any], fail_on: str) -> dict[str, Any]:
    threshold = None if fail_on == "never" else _ORDER[fail_on]
    blocking = [
        finding for file in report["files"] for finding in file["findings"]
        if threshold is not None and _ORDER[finding["severity"]] >= threshold
    ]
    unreadable = any(file["error"] for file in report["files"])
    return {"allow": not blocking and not unreadable, "fail_on": fail_on, "blocking": blocking, "report": report}


# -- the application -------------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    token: str | None
    max_body: int
    timeout: float


def create_app(
    linter_factory: Callable[[], Linter] | None = None,
    *,
    token: str | None = None,
    max_body: int = DEFAULT_MAX_BODY,
    timeout: float = DEFAULT_TIMEOUT,
    warm_up: bool = True,
) -> Starlette:
    """Build the ASGI app. `linter_factory` is called once; its Linter serves every request."""
    factory = linter_factory or (lambda: Linter(Config(model_enabled=False)))
    settings = Settings(token=token or None, max_body=max_body, timeout=timeout)
    pool = LinterPool(factory())
    request_validator = jsonschema.Draft202012Validator(load_schema("lint-request.schema.json"))
    logger = logging.getLogger(ACCESS_LOGGER)

    @asynccontextmanager
    async def lifespan(_app: Starlette):
        if warm_up:  # parse lexicons, start jieba and load the model before the first writer waits
            await anyio.to_thread.run_sync(_lint_sync, pool, {"content": "热身 warm-up", "format": "text"})
        yield

    async def lint_endpoint(request: Request) -> Response:
        report, _fail_on = await _handle(request)
        return JSONResponse(report)

    async def publish_endpoint(request: Request) -> Response:
        report, fail_on = await _handle(request)
        return JSONResponse(publish_decision(report, fail_on))

    async def _handle(request: Request) -> tuple[dict[str, Any], str]:
        _authorise(request, settings.token)
        body = _parse(await read_limited_body(request, settings.max_body), request_validator)
        if body.get("config"):
            try:  # validate here, so a bad config is a 400 and not a worker-thread failure
                await anyio.to_thread.run_sync(pool.for_config, body["config"])
            except ConfigError as exc:
                raise HTTPError(400, str(exc)) from None
        try:
            with anyio.fail_after(settings.timeout):
                # abandon_on_cancel: on timeout the thread finishes in the background; the client gets 504 now.
                return await anyio.to_thread.run_sync(_lint_sync, pool, body, abandon_on_cancel=True)
        except TimeoutError:
            raise HTTPError(504, f"linting took longer than {settings.timeout:g} s") from None
        except StoryguardError as exc:
            raise HTTPError(500, f"storyguard failed: {type(exc).__name__}") from None

    async def schemas_endpoint(_request: Request) -> Response:
        return JSONResponse({name: load_schema(name) for name in SCHEMA_NAMES})

    async def schema_endpoint(request: Request) -> Response:
        name = request.path_params["name"]
        if name not in SCHEMA_NAMES:
            return error_response(404, f"unknown schema; one of {', '.join(SCHEMA_NAMES)}")
        return JSONResponse(load_schema(name), media_type="application/schema+json")

    async def openapi_endpoint(_request: Request) -> Response:
        return JSONResponse(openapi_document())

    async def health_endpoint(_request: Request) -> Response:
        return JSONResponse({"status": "ok", "version": storyguard.__version__, "model": pool.base.use_model})

    async def page_endpoint(_request: Request) -> Response:
        return FileResponse(STATIC_DIR / "index.html", media_type="text/html; charset=utf-8", headers=_PAGE_HEADERS)

    async def http_error(_request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPError)
        headers = {"WWW-Authenticate": 'Bearer realm="storyguard"'} if exc.status == 401 else None
        return error_response(exc.status, exc.message, headers)

    routes = [
        Route("/", page_endpoint, methods=["GET"]),
        Route("/v1/lint", lint_endpoint, methods=["POST"]),
        Route("/v1/publish-check", publish_endpoint, methods=["POST"]),
        Route("/v1/schema", schemas_endpoint, methods=["GET"]),
        Route("/v1/schema/{name}", schema_endpoint, methods=["GET"]),
        Route("/openapi.json", openapi_endpoint, methods=["GET"]),
        Route("/healthz", health_endpoint, methods=["GET"]),
        Mount("/static", app=StaticFiles(directory=STATIC_DIR), name="static"),
    ]
    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={HTTPError: http_error})
    app.add_middleware(AccessLogMiddleware, logger=logger)
    return app


def _authorise(request: Request, token: str | None) -> None:
    if token is None:
        return
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    # compare_digest: no timing hint about how much of the token matched.
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), token.encode()):
        raise HTTPError(401, "missing or wrong bearer token")


async def read_limited_body(request: Request, limit: int) -> bytes:
    """The body, refused with 413 when Content-Length says too big or the stream runs past `limit`."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise HTTPError(413, f"body over the {limit}-byte limit")
        except ValueError:
            raise HTTPError(400, "invalid Content-Length") from None
    chunks: list[bytes] = []
    received = 0
    async for chunk in request.stream():  # chunked uploads have no Content-Length: count them
        received += len(chunk)
        if received > limit:
            raise HTTPError(413, f"body over the {limit}-byte limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _parse(raw: bytes, validator: jsonschema.Draft202012Validator) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise HTTPError(400, f"body is not JSON: {exc.__class__.__name__}") from None
    error = jsonschema.exceptions.best_match(validator.iter_errors(body))
    if error is not None:
        raise HTTPError(400, schema_error_message(error))
    return body


def schema_error_message(error: jsonschema.ValidationError) -> str:
    """The schema error, without echoing the document: messages quote the offending value."""
    where = "/".join(str(part) for part in error.absolute_path) or "(body)"
    message = error.message
    if error.validator == "not" and isinstance(error.instance, str):
        message = f"key {error.instance!r} is not allowed here"  # propertyNames: `lexicons` in a request config
    elif error.validator == "type":
        message = f"must be of type {error.validator_value}"
    elif len(message) > 200 or (error.absolute_path and error.absolute_path[0] == "content"):
        message = f"fails the '{error.validator}' constraint"
    return f"request does not match the schema at {where}: {message}"


class AccessLogMiddleware:
    """One JSON line per request on `storyguard.access`: method, path, status, duration, bytes. Never a body."""

    def __init__(self, app: ASGIApp, logger: logging.Logger) -> None:
        self.app = app
        self.logger = logger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        state = {"status": 500, "bytes": 0, "received": 0}

        async def counting_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
            return message

        async def counting_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                state["status"] = message["status"]
            elif message["type"] == "http.response.body":
                state["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, counting_receive, counting_send)
        finally:
            self.logger.info(json.dumps({
                "method": scope["method"], "path": scope["path"], "status": state["status"],
                "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                "bytes": state["bytes"], "request_bytes": state["received"],
            }))


# -- running ---------------------------------------------------------------------------------


def read_token(token_file: str | None) -> str | None:
    """The bearer token from --token-file, else STORYGUARD_TOKEN; never from the command line."""
    if token_file:
        token = Path(token_file).read_text("utf-8").strip()
        if not token:
            raise ConfigError(f"{token_file}: token file is empty")
        return token
    return os.environ.get("STORYGUARD_TOKEN") or None


def run(
    host: str = "127.0.0.1",
    port: int = 8080,
    token_file: str | None = None,
    *,
    max_body: int = DEFAULT_MAX_BODY,
    timeout: float = DEFAULT_TIMEOUT,
    use_model: bool | None = None,
    config: Config | None = None,
    log_level: str = "info",
) -> None:
    import uvicorn

    from storyguard.engine import resolve_config

    token = read_token(token_file)
    resolved = config or resolve_config(["."], None)
    app = create_app(lambda: Linter(resolved, use_model=use_model), token=token, max_body=max_body, timeout=timeout)
    access = logging.getLogger(ACCESS_LOGGER)
    if not access.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(message)s"))
        access.addHandler(handler)
        access.setLevel(logging.INFO)
        access.propagate = False
    # uvicorn's own access log would print query strings; ours is the structured one.
    uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=False)
