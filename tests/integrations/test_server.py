"""The hook server: lint and publish-check, validation, auth, limits, schemas, access logs."""

from __future__ import annotations

import json
import logging
import time

import pytest

pytest.importorskip("starlette", reason="the hook server needs the serve extra: pip install 'storyguard[serve]'")

from starlette.testclient import TestClient  # noqa: E402

from cli.server import ACCESS_LOGGER, create_app, openapi_document, response_validator  # noqa: E402

TOKEN = "test-token-0123456789"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def client(rules_linter):
    app = create_app(lambda: rules_linter, token=TOKEN, max_body=50_000, timeout=10.0)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="module")
def validators():
    return {name: response_validator(name) for name in ("lint", "publish-check", "error")} | {"any": response_validator()}


def assert_valid(validator, data):
    errors = list(validator.iter_errors(data))
    assert not errors, errors[0]


def test_lint_english(client, validators, samples):
    response = client.post("/v1/lint", json={"content": samples["en"], "format": "markdown", "filename": "appeal.md"}, headers=AUTH)
    assert response.status_code == 200, response.text
    report = response.json()
    assert_valid(validators["lint"], report)
    assert_valid(validators["any"], report)
    file = report["files"][0]
    assert file["path"] == "appeal.md" and file["format"] == "markdown" and file["languages"] == ["en"]
    rules = {finding["rule"] for finding in file["findings"]}
    assert "SG201" in rules, rules
    name = next(f for f in file["findings"] if f["rule"] == "SG201")
    assert samples["en"][name["start"]["offset"]:name["end"]["offset"]] == samples["child_name"]


def test_lint_chinese(client, validators, samples):
    response = client.post("/v1/lint", json={"content": samples["zh"], "format": "markdown", "lang": "zh"}, headers=AUTH)
    assert response.status_code == 200, response.text
    report = response.json()
    assert_valid(validators["lint"], report)
    file = report["files"][0]
    assert file["languages"] == ["zh"] and file["findings"]
    categories = {finding["category"] for finding in file["findings"]}
    assert {"labelling", "identifying"} <= categories, categories
    assert any(ref["id"].startswith("CN-") for f in file["findings"] for ref in f["references"])


@pytest.mark.parametrize("body, fragment", [
    (b"not json", "not JSON"),
    (json.dumps({"format": "text"}).encode(), "'content' is a required property"),
    (json.dumps({"content": 5}).encode(), "at content: must be of type string"),
    (json.dumps({"content": "x", "format": "docx"}).encode(), "at format"),
    (json.dumps({"content": "x", "extra": 1}).encode(), "Additional properties"),
    (json.dumps({"content": "x", "config": {"selectt": ["SG2"]}}).encode(), "did you mean 'select'"),
    (json.dumps({"content": "x", "config": {"lexicons": ["/etc"]}}).encode(), "'lexicons' is not allowed"),
])
def test_bad_bodies_are_400_with_the_reason(client, validators, body, fragment):
    response = client.post("/v1/lint", content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 400
    assert_valid(validators["error"], response.json())
    assert fragment in response.json()["error"]["message"]


def test_schema_errors_do_not_echo_the_document(client):
    secret = "Emma Johnson lives at 12 Oak Road " * 20
    response = client.post("/v1/lint", json={"content": secret, "lang": "fr"}, headers=AUTH)
    assert response.status_code == 400
    response = client.post("/v1/lint", json={"content": [secret]}, headers=AUTH)
    assert response.status_code == 400 and "Emma" not in response.text


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Basic {TOKEN}"}])
def test_token_required(client, headers):
    response = client.post("/v1/lint", json={"content": "hello"}, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_body_limit_by_header_and_by_stream(client):
    big = json.dumps({"content": "a" * 60_000})
    assert client.post("/v1/lint", content=big, headers={**AUTH, "Content-Type": "application/json"}).status_code == 413

    def chunks():  # no Content-Length: the server must count what arrives
        for _ in range(10):
            yield b"a" * 10_000

    response = client.post("/v1/lint", content=chunks(), headers={**AUTH, "Content-Type": "application/json"})
    assert response.status_code == 413


def test_publish_check_blocks_and_respects_fail_on(client, validators, samples):
    body = {"content": samples["en"], "format": "markdown"}
    blocked = client.post("/v1/publish-check", json=body, headers=AUTH).json()
    assert_valid(validators["publish-check"], blocked)
    assert_valid(validators["any"], blocked)
    assert blocked["allow"] is False and blocked["fail_on"] == "warning"
    assert blocked["blocking"] and all(f["severity"] in ("error", "warning") for f in blocked["blocking"])

    errors_only = client.post("/v1/publish-check", json={**body, "config": {"fail-on": "error"}}, headers=AUTH).json()
    assert errors_only["fail_on"] == "error"
    assert all(f["severity"] == "error" for f in errors_only["blocking"])
    assert len(errors_only["blocking"]) < len(blocked["blocking"])

    never = client.post("/v1/publish-check", json={**body, "config": {"fail-on": "never"}}, headers=AUTH).json()
    assert never["allow"] is True and never["blocking"] == []

    clean = client.post("/v1/publish-check", json={"content": "Your gift funds school meals for 300 children this term."}, headers=AUTH)
    assert clean.json()["allow"] is True


def test_request_config_selects_rules(client, samples):
    body = {"content": samples["en"], "format": "markdown"}
    everything = client.post("/v1/lint", json=body, headers=AUTH).json()["files"][0]["findings"]
    families = {f["rule"][:3] for f in everything}
    assert len(families) >= 2, families
    chosen = min(families)
    selected = client.post("/v1/lint", json={**body, "config": {"select": [chosen]}}, headers=AUTH).json()["files"][0]["findings"]
    assert selected and {f["rule"][:3] for f in selected} == {chosen}


def test_schemas_openapi_page_and_health_are_served(client):
    schemas = client.get("/v1/schema").json()
    assert set(schemas) == {"lint-request.schema.json", "lint-response.schema.json", "report.schema.json"}
    one = client.get("/v1/schema/lint-request.schema.json")
    assert one.status_code == 200 and one.json()["required"] == ["content"]
    assert client.get("/v1/schema/nope.json").status_code == 404
    openapi = client.get("/openapi.json").json()
    assert openapi["openapi"].startswith("3.1") and openapi == openapi_document()
    assert {"/v1/lint", "/v1/publish-check", "/healthz"} <= set(openapi["paths"])
    health = client.get("/healthz")
    assert health.status_code == 200 and health.json()["status"] == "ok"
    page = client.get("/")
    assert page.status_code == 200 and "static/app.js" in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200


def test_access_log_is_structured_and_has_no_document_text(client, caplog):
    marker = "Zebedee Quasimodo-Fairweather"
    with caplog.at_level(logging.INFO, logger=ACCESS_LOGGER):
        client.post("/v1/lint?note=x", json={"content": f"Share to save {marker}, 7!"}, headers=AUTH)
        client.post("/v1/lint", json={"content": marker}, headers={})
    records = [r for r in caplog.records if r.name == ACCESS_LOGGER]
    assert len(records) == 2
    entries = [json.loads(r.getMessage()) for r in records]
    assert [e["status"] for e in entries] == [200, 401]
    for entry in entries:
        assert {"method", "path", "status", "duration_ms", "bytes"} <= set(entry)
        assert entry["path"] == "/v1/lint" and entry["method"] == "POST" and entry["bytes"] > 0
    assert marker not in caplog.text and "Zebedee" not in caplog.text


def test_no_token_configured_means_open(rules_linter):
    with TestClient(create_app(lambda: rules_linter, warm_up=False)) as open_client:
        assert open_client.post("/v1/lint", json={"content": "hello"}).status_code == 200


def test_timeout_is_504(rules_linter, monkeypatch):
    from cli import server

    def slow(pool, body):
        time.sleep(0.5)
        return {}, "warning"

    monkeypatch.setattr(server, "_lint_sync", slow)
    with TestClient(create_app(lambda: rules_linter, timeout=0.1, warm_up=False)) as slow_client:
        response = slow_client.post("/v1/lint", json={"content": "hello"})
    assert response.status_code == 504 and "longer than" in response.json()["error"]["message"]


def test_token_file_and_environment(tmp_path, monkeypatch):
    from cli.server import read_token

    monkeypatch.setenv("STORYGUARD_TOKEN", "from-env")
    assert read_token(None) == "from-env"
    token_file = tmp_path / "token"
    token_file.write_text("from-file\n", "utf-8")
    assert read_token(str(token_file)) == "from-file"
    monkeypatch.delenv("STORYGUARD_TOKEN")
    assert read_token(None) is None


def test_serve_command_passes_options_and_never_takes_a_token_argument(monkeypatch, tmp_path):
    from click.testing import CliRunner

    from cli import server
    from cli.serve_command import serve

    calls = []
    monkeypatch.setattr(server, "run", lambda *args, **kwargs: calls.append((args, kwargs)))
    token_file = tmp_path / "token"
    token_file.write_text("t0ken\n", "utf-8")
    result = CliRunner().invoke(serve, ["--port", "9999", "--token-file", str(token_file), "--max-body", "1000", "--timeout", "2.5", "--no-model"])
    assert result.exit_code == 0, result.output
    (host, port, token_path), options = calls[0]
    assert (host, port, token_path) == ("127.0.0.1", 9999, str(token_file))
    assert options["max_body"] == 1000 and options["timeout"] == 2.5 and options["use_model"] is False
    assert "--token " not in CliRunner().invoke(serve, ["--help"]).output
