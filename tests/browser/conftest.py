"""Browser fixtures: the app served by uvicorn on 127.0.0.1 (a free port, a temp SQLite database) and
Debian's Chromium driven by Playwright.

Chromium is taken from ``PATHFIT_CHROMIUM`` or ``/usr/bin/chromium`` (Playwright's own browser download
is not used). Without it the browser tests are skipped on a developer's machine and fail in CI (``CI``
set), like the PostgreSQL tests; ``tests/browser/ensure_chromium.sh`` installs it. Set
``PATHFIT_SCREENSHOTS=docs/screenshots`` to write the README screenshots while the flows run.
"""
import os
import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx2 as httpx  # the dev extra ships httpx2 (what starlette >= 1 prefers)
import pytest
import uvicorn

from api.adapters.tabular import read_records
from api.app import create_app
from api.cli.demo import _demo_file
from api.db import make_engine, make_sessionmaker, upgrade
from api.pages import install_pages
from api.services.catalogue import PROGRAMMES, VACANCIES, import_records
from api.settings import Settings
from api.tenancy import create_api_key, create_organisation
from models.enums import Role

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
AXE = Path(__file__).resolve().parent / "vendor" / "axe.min.js"


def chromium_path() -> str | None:
    candidate = os.environ.get("PATHFIT_CHROMIUM") or "/usr/bin/chromium"
    if os.path.isfile(candidate) and os.access(candidate, os.X_OK):
        return candidate
    return shutil.which("chromium")


def require_browser() -> str:
    problem = None
    path = chromium_path()
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problem = "the playwright package is not installed (pip install playwright)"
    if problem is None and path is None:
        problem = "Chromium not found at /usr/bin/chromium (run tests/browser/ensure_chromium.sh as root)"
    if problem is None:
        return path
    if os.environ.get("CI"):
        pytest.fail(problem + " (CI must run the browser tests)")
    pytest.skip(problem)


@dataclass
class LiveServer:
    base_url: str
    key: str
    organisation_id: str
    app: object

    def api(self) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, headers={"Authorization": f"Bearer {self.key}"}, timeout=30)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    require_browser()
    url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'pathfit.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    settings = Settings(database_url=url, secret_key="browser-test-secret-key-0123456789", log_level="WARNING")
    app = create_app(settings)
    install_pages(app, settings)
    with make_sessionmaker(app.state.engine)() as db, db.begin():
        organisation = create_organisation(db, "测试就业服务中心", "朝阳区")
        _, key = create_api_key(db, organisation.id, Role.counsellor, "browser tests")
        for catalogue, name, fmt in ((VACANCIES, "vacancies.csv", "csv"), (PROGRAMMES, "programmes.json", "json")):
            import_records(db, catalogue, organisation.id, read_records(_demo_file(name), fmt), atomic=True)
        organisation_id = organisation.id
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/health", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    else:
        pytest.fail("the test server did not start within 20 s")
    yield LiveServer(base, key, organisation_id, app)
    server.should_exit = True
    thread.join(timeout=10)
    app.state.engine.dispose()


@pytest.fixture(scope="session")
def browser(live_server):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=require_browser(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def context(browser, live_server):
    ctx = browser.new_context(base_url=live_server.base_url, viewport={"width": 1100, "height": 820}, locale="zh-CN")
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context):
    return context.new_page()


def screenshot(page, name: str) -> None:
    """Write ``<PATHFIT_SCREENSHOTS>/<name>.png`` when that variable is set (for the README)."""
    folder = os.environ.get("PATHFIT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)


def axe_violations(browser, url: str, storage_state=None, before=None) -> list[dict]:
    """Run axe-core (vendored, MPL-2.0) on ``url`` for WCAG 2.1 A/AA; returns the violations.

    The check runs in its own context with the page's CSP bypassed, since axe is injected as a script.
    """
    ctx = browser.new_context(bypass_csp=True, storage_state=storage_state, viewport={"width": 1100, "height": 820})
    try:
        page = ctx.new_page()
        page.goto(url)
        if before:
            before(page)
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""async () => {
            const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.slice(0, 3).map(n => n.html)}));
        }""")
        return result
    finally:
        ctx.close()
