"""The writer's page in a real browser: paste a draft, click Check, see highlights and explanations.

Needs Debian's chromium (`apt-get install chromium`, or `.ci/install-chromium.sh`) and the
`playwright` Python package (`pip install playwright`; no `playwright install` needed: the
system chromium is used). Skipped with that message when either is missing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).absolute().parents[2] / "test-artifacts"
SKIP_HINT = "install chromium (`apt-get install chromium` or .ci/install-chromium.sh) and `pip install playwright`"


def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip(f"playwright is not installed: {SKIP_HINT}")
    if not CHROMIUM.exists() and not shutil.which("chromium"):
        pytest.skip(f"{CHROMIUM} not found: {SKIP_HINT}")
    return sync_playwright


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(rules_linter) -> Iterator[str]:
    import uvicorn

    from cli.server import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(lambda: rules_linter), host="127.0.0.1", port=port, log_level="warning", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="storyguard-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("the test server did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def page(server_url):
    sync_playwright = _playwright()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM if CHROMIUM.exists() else shutil.which("chromium")),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        context = browser.new_context(viewport={"width": 1200, "height": 1000})
        # Offline page: any request leaving the test server is a failure.
        outside: list[str] = []
        context.on("request", lambda request: None if request.url.startswith(server_url) else outside.append(request.url))
        tab = context.new_page()
        errors: list[str] = []
        tab.on("pageerror", lambda error: errors.append(str(error)))
        tab.goto(server_url)
        yield tab
        assert not errors, errors
        assert not outside, outside
        browser.close()


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def check_draft(page, text: str, fmt: str, lang: str = "auto") -> None:
    page.fill("#draft", text)
    page.select_option("#format", fmt)
    page.select_option("#lang", lang)
    page.click("#check")
    # expect() polls from Playwright's side: the page's CSP forbids the eval wait_for_function uses.
    expect(page.locator("#status")).to_contain_text("finding(s)", timeout=15_000)


def test_english_draft_is_highlighted(page, samples):
    # A non-BMP character before the name checks the code-point to UTF-16 conversion.
    text = "🙂 " + samples["en"] + "\n<script>window.__pwned = 1</script> <img src=x onerror=\"window.__pwned=2\">\n"
    check_draft(page, text, "markdown")
    highlighted = page.locator("#rendered .hl").all_text_contents()
    assert samples["child_name"] in highlighted
    items = page.locator("#findings li[data-finding]")
    assert items.count() >= 3
    assert "SG201" in page.locator("#findings").inner_text()
    assert page.locator("#findings .refs a").first.get_attribute("href").startswith("http")
    # The draft is shown as text, never as markup.
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned = 1</script>" in page.locator("#rendered").inner_text()
    assert page.locator("#rendered").inner_text() == text
    page.locator("#rendered .hl", has_text=samples["child_name"]).first.click()
    explanation = page.locator("#explain")
    assert explanation.is_visible() and "SG201" in explanation.inner_text()
    assert page.locator("#findings li.active").count() >= 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-en.png"), full_page=True)


def test_chinese_draft_is_highlighted(page, samples):
    check_draft(page, samples["zh"], "markdown", "zh")
    highlighted = page.locator("#rendered .hl").all_text_contents()
    assert any("可怜" in piece for piece in highlighted), highlighted
    assert any("王小明" in piece for piece in highlighted), highlighted
    assert page.locator("#findings li[data-finding]").count() >= 2
    assert page.locator("#rendered").inner_text() == samples["zh"]
    page.locator("#rendered .hl").first.hover()
    assert page.locator("#explain").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "web-page-zh.png"), full_page=True)


def test_file_upload_fills_the_draft_and_picks_the_format(page, samples, tmp_path):
    draft = tmp_path / "appeal.html"
    draft.write_text(f"<html><body><p>{samples['en'].splitlines()[-1]}</p></body></html>", "utf-8")
    page.set_input_files("#file", str(draft))
    expect(page.locator("#status")).to_contain_text("Loaded appeal.html")
    assert page.locator("#format").input_value() == "html"
    assert "<p>Share to save" in page.locator("#draft").input_value()
    page.select_option("#lang", "auto")
    page.click("#check")
    expect(page.locator("#status")).to_contain_text("finding(s)", timeout=15_000)
    assert samples["child_name"] in page.locator("#rendered .hl").all_text_contents()


def test_server_errors_are_shown(page):
    page.fill("#draft", "[not json")
    page.select_option("#format", "social-json")
    page.click("#check")
    expect(page.locator("#status")).to_have_class("error", timeout=15_000)
    assert "could not be read" in page.locator("#status").inner_text()
