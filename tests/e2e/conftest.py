"""Browser journeys in real Chromium against the live server, with real SMTP and SMS servers.

Everything here is real: Django serves on a socket (pytest-django's `live_server`), the app
sends email over SMTP to `support.smtp.SmtpServer` and SMS over HTTP to
`support.sms_gateway.SmsGateway` (fixtures from tests/conftest.py), and Debian's Chromium
drives the pages. Every test in this folder is marked `e2e` (`make e2e` runs them alone).

Each page fails its test when the browser logs a JavaScript error (Chromium also logs every
4xx/5xx answer as one: a test that means to open an error page calls
`page_problems.ignore(r"status of 404")`) or the server answers >= 500.

`shot(page, "Tên bước")` saves a full-page screenshot under var/screenshots/<test>/; at the
end of the session var/screenshots/index.html shows them all, grouped by test.
"""

import html
import json
import os
import re
import shutil
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django refuses ORM calls from
# such a thread unless told that it is safe (it is: nothing else runs in that loop).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
MOBILE = {"viewport": {"width": 360, "height": 740}, "is_mobile": True, "has_touch": True}
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    """Mark every test of this folder `e2e` (this hook sees the whole session's items)."""
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


# --- The portal, pointed at the real servers ---------------------------------------------


@dataclass
class Portal:
    url: str
    smtp: object
    sms: object

    def at(self, path: str) -> str:
        return self.url.rstrip("/") + path


@pytest.fixture(autouse=True)
def portal(live_server, real_messaging, smtp_server, sms_gateway) -> Portal:
    """The live server with email and SMS going to the real local servers.

    Rate-limit counters live in the process-wide cache and count by client address (every
    browser here is 127.0.0.1), so each test starts with them cleared.
    """
    from django.core.cache import cache

    real_messaging.PORTAL_BASE_URL = live_server.url
    cache.clear()
    yield Portal(url=live_server.url, smtp=smtp_server, sms=sms_gateway)
    cache.clear()


# --- The browser ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@dataclass
class PageProblems:
    """What went wrong in the browser while the test ran: JS errors and 5xx answers."""

    console_errors: list[str] = field(default_factory=list)
    server_errors: list[str] = field(default_factory=list)
    ignored: list[re.Pattern] = field(default_factory=list)
    reported: int = 0

    def ignore(self, pattern: str) -> None:
        """Accept console errors matching `pattern` (e.g. an expected 4xx page)."""
        self.ignored.append(re.compile(pattern))

    def watch(self, page: Page) -> None:
        def on_console(message):
            if message.type == "error":
                location = message.location or {}
                self.console_errors.append(f"{message.text} ({location.get('url', '')})")

        def on_response(response):
            if response.status >= 500:
                request = response.request
                self.server_errors.append(f"{response.status} {request.method} {response.url}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: self.console_errors.append(f"uncaught: {error}"))
        page.on("response", on_response)

    def unexpected(self) -> list[str]:
        console = [e for e in self.console_errors if not any(p.search(e) for p in self.ignored)]
        return [f"console: {e}" for e in console] + [f"server: {e}" for e in self.server_errors]

    def check(self) -> None:
        """Fail with what has not been reported yet."""
        problems = self.unexpected()
        new, self.reported = problems[self.reported :], len(problems)
        if new:
            pytest.fail("the browser saw errors:\n" + "\n".join(new))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test whose pages logged JS errors or got 5xx answers fails (not only errors at
    teardown); the page fixtures check again after closing, for anything later."""
    result = yield
    problems = getattr(item, "funcargs", {}).get("page_problems")
    if problems is not None:
        problems.check()
    return result


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


@pytest.fixture
def new_page(browser: Browser, page_problems: PageProblems) -> Iterator[Callable[..., Page]]:
    """Open a page in a fresh context (options as for `browser.new_context`, Vietnamese and
    desktop-sized unless given); all of them are watched and closed after the test."""
    contexts: list[BrowserContext] = []

    def open_page(**options) -> Page:
        settings = {
            **DESKTOP,
            "locale": "vi-VN",
            "timezone_id": "Asia/Ho_Chi_Minh",
            **options,
        }
        context = browser.new_context(**settings)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page_problems.watch(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
    page_problems.check()


@pytest.fixture
def page(new_page) -> Page:
    """A desktop page: 1280x900, vi-VN."""
    return new_page()


@pytest.fixture
def mobile_page(new_page) -> Page:
    """A phone-sized page: 360x740, touch, mobile viewport rules."""
    return new_page(**MOBILE)


# --- Screenshots and their gallery --------------------------------------------------------


def screenshots_dir() -> Path:
    from django.conf import settings

    return Path(settings.VAR_DIR) / "screenshots"


def slug(text: str) -> str:
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^A-Za-z0-9_.]+", "-", text).strip("-").lower() or "buoc"


@pytest.fixture
def shot(request) -> Callable[[Page, str], Path]:
    """`shot(page, "Tên bước")` saves var/screenshots/<test>/<NN>-<tên-buoc>.png (full page).

    The test's folder is emptied first, so it always holds the last run's steps; the names
    people read (alt text in the gallery) are kept in steps.json beside the images.
    """
    folder = screenshots_dir() / re.sub(r"[^A-Za-z0-9_.-]+", "-", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    steps: list[dict[str, str]] = []
    doc = (request.node.function.__doc__ or "").strip().splitlines()

    def take(page: Page, name: str) -> Path:
        path = folder / f"{len(steps) + 1:02d}-{slug(name)}.png"
        page.screenshot(path=str(path), full_page=True)
        steps.append({"file": path.name, "name": name})
        (folder / "steps.json").write_text(
            json.dumps(
                {"test": request.node.nodeid, "doc": doc[0] if doc else "", "steps": steps},
                ensure_ascii=False,
                indent=1,
            ),
            encoding="utf-8",
        )
        return path

    return take


def write_gallery(root: Path) -> Path | None:
    """(Re)write root/index.html from every test folder under root."""
    if not root.is_dir():
        return None
    sections = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        manifest = folder / "steps.json"
        info = json.loads(manifest.read_text(encoding="utf-8")) if manifest.exists() else {}
        names = {s["file"]: s["name"] for s in info.get("steps", [])}
        images = sorted(folder.glob("*.png"))
        if not images:
            continue
        figures = "\n".join(
            '<figure><a href="{href}"><img src="{href}" alt="{alt}" loading="lazy"></a>'
            "<figcaption>{n}. {alt}</figcaption></figure>".format(
                href=html.escape(f"{folder.name}/{image.name}"),
                alt=html.escape(names.get(image.name, image.stem.split("-", 1)[-1])),
                n=index,
            )
            for index, image in enumerate(images, start=1)
        )
        description = info.get("doc", "")
        sections.append(
            f'<section><h2 id="{html.escape(folder.name)}">{html.escape(folder.name)}</h2>'
            + (f"<p>{html.escape(description)}</p>" if description else "")
            + f'<p class="count">{len(images)} ảnh chụp</p><div class="grid">{figures}</div>'
            "</section>"
        )
    toc = "".join(
        f'<li><a href="#{html.escape(p.name)}">{html.escape(p.name)}</a></li>'
        for p in sorted(root.iterdir())
        if p.is_dir() and any(p.glob("*.png"))
    )
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Ảnh chụp màn hình các hành trình kiểm thử</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 1.5rem; color: #1b1b1b; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 1rem; }}
figure {{ margin: 0; border: 1px solid #ccc; padding: .5rem; background: #fafafa; }}
img {{ width: 100%; height: 220px; object-fit: cover; object-position: top; }}
figcaption {{ font-size: .9rem; margin-top: .25rem; }}
.count {{ color: #555; }}
</style>
</head>
<body>
<h1>Ảnh chụp màn hình các hành trình kiểm thử</h1>
<p>Mỗi phần là một kiểm thử trình duyệt; ảnh theo thứ tự các bước. Nhấn vào ảnh để xem cỡ thật.</p>
<nav aria-label="Danh sách kiểm thử"><h2>Danh sách kiểm thử</h2><ul>{toc}</ul></nav>
{"".join(sections) or "<p>Chưa có ảnh chụp nào.</p>"}
</body>
</html>
"""
    index = root / "index.html"
    index.write_text(page, encoding="utf-8")
    return index


def pytest_sessionfinish(session, exitstatus):
    from django.core.exceptions import ImproperlyConfigured

    try:
        root = screenshots_dir()
    except ImproperlyConfigured:  # Django never set up: nothing was shot
        return
    write_gallery(root)
