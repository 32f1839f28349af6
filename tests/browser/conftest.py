"""Real-browser tests: Debian's Chromium driven by Playwright against Django's live server."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser.tab import Tab

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    # A conftest's `pytestmark` does not reach the test modules, so mark them here.
    for item in items:
        if HERE in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.browser_test_failed = report.failed
    return report


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(
            f"The browser tests need Debian's Chromium at {CHROMIUM}: "
            "install it with `apt-get install chromium`.",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio event loop running in this thread for as long as it
    # is started, and Django refuses ORM calls from a thread with a running loop. The tests use
    # the ORM only from this one thread, one step at a time, so that guard can be lifted here.
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()


def _new_context(browser, live_server, *, javascript=True):
    return browser.new_context(
        base_url=live_server.url,
        java_script_enabled=javascript,
        locale="en-GB",
        timezone_id="Europe/London",
    )


def _check_the_pages(request, tab: Tab) -> None:
    """After a test that passed: every page it loaded was scanned by axe and logged no error."""
    if getattr(request.node, "browser_test_failed", False):
        return
    problems = []
    if missing := tab.unscanned():
        problems.append(
            "These pages were loaded but never checked with axe (make a page object for them, "
            f"or call tab.scan()): {missing}"
        )
    if tab.errors:
        problems.append(
            "The browser console logged errors (a script failed, or the "
            "Content-Security-Policy blocked something):\n  " + "\n  ".join(tab.errors)
        )
    if problems:
        pytest.fail("\n".join(problems), pytrace=False)


@pytest.fixture
def tab(browser, live_server, transactional_db, request):
    """A JavaScript-enabled browser tab on the live server. The test fails if a page it loaded
    was not scanned by axe, or logged an error to the console."""
    context = _new_context(browser, live_server)
    tab = Tab(context.new_page())
    yield tab
    context.close()
    _check_the_pages(request, tab)


@pytest.fixture
def page(tab):
    """The Playwright page behind `tab`."""
    return tab.page


@pytest.fixture
def tab_without_javascript(browser, live_server, transactional_db, request):
    """A tab whose JavaScript is turned off. Axe cannot run there, so each page it shows is
    copied, scripts blocked, into a page in a JavaScript-enabled context and scanned there."""
    context = _new_context(browser, live_server, javascript=False)
    scanning_context = _new_context(browser, live_server)
    tab = Tab(context.new_page(), scanner=scanning_context.new_page())
    yield tab
    context.close()
    scanning_context.close()
    _check_the_pages(request, tab)
