"""One browser tab as a user drives it, with every page it loads checked by axe."""

from collections.abc import Callable

from playwright.sync_api import ConsoleMessage, Error, Locator, Page

from tests.browser.axe import assert_accessible

# A page shown without JavaScript is copied into a JavaScript-enabled tab for axe to run in;
# this policy keeps the page's own scripts from running there, as they would not for the user.
NO_SCRIPTS_POLICY = "script-src 'none'"


class Tab:
    """A Playwright page that counts the documents it loads and which of them axe has checked.

    Page objects call `scan()` once they have seen their page, and the `tab` fixture fails a
    test that loaded a page it never scanned, so no page escapes the accessibility check. It
    also fails a test whose pages logged a script error or a Content-Security-Policy refusal.
    """

    def __init__(self, page: Page, *, scanner: Page | None = None):
        self.page = page
        # Axe cannot run in a page whose JavaScript is turned off: such a tab is scanned through
        # a copy of its document in `scanner`, a page in a JavaScript-enabled context.
        self._scanner = scanner
        self.loaded: list[str] = []
        self._scanned: set[int] = set()
        # Script errors, and anything the Content-Security-Policy blocks, as the console shows.
        self.errors: list[str] = []
        self._expected_status: int | None = None
        page.on("load", self._record_load)
        page.on("console", self._record_console)
        page.on("pageerror", self._record_page_error)

    def _record_load(self, page: Page) -> None:
        self.loaded.append(page.url)

    def _record_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        expected = f"the server responded with a status of {self._expected_status} "
        if self._expected_status and expected in message.text:
            return  # the error page the test asked for
        self.errors.append(f"{self.page.url}: {message.text}")

    def _record_page_error(self, error: Error) -> None:
        self.errors.append(f"{self.page.url}: uncaught {error.name}: {error.message}")

    def open(self, path: str, *, status: int = 200) -> None:
        """Go to a path on the live server, as if typed into the address bar."""
        self._expected_status = status if status >= 400 else None
        try:
            with self.page.expect_event("load"):
                response = self.page.goto(path)
        finally:
            self._expected_status = None
        assert response is not None, f"No response for {path}"
        assert response.status == status, (
            f"{path} answered {response.status}, expected {status} (now at {self.page.url})"
        )

    def follow(self, locator: Locator) -> None:
        """Click a link or a submit button, and wait for the page it leads to to load."""
        self.navigate(locator.click)

    def navigate(self, action: Callable[[], object]) -> None:
        with self.page.expect_event("load"):
            action()

    def scan(self, *, after_change: bool = False) -> None:
        """Check the page now showing with axe: once for each document loaded, and again when
        the user has changed what it shows (opened a details element, say)."""
        document = len(self.loaded)
        if document in self._scanned and not after_change:
            return
        if self._scanner is None:
            assert_accessible(self.page)
        else:
            self._scan_copy()
        self._scanned.add(document)

    def _scan_copy(self) -> None:
        url = self.page.url.split("#")[0]
        html = self.page.content()

        def same_document(candidate: str) -> bool:
            return candidate.split("#")[0] == url

        def serve(route) -> None:
            route.fulfill(
                status=200,
                content_type="text/html; charset=utf-8",
                headers={"Content-Security-Policy": NO_SCRIPTS_POLICY},
                body=html,
            )

        scanner = self._scanner
        scanner.route(same_document, serve)
        try:
            scanner.goto(url)
            assert_accessible(scanner, url=f"{url} (without JavaScript)")
        finally:
            scanner.unroute(same_document, serve)

    def unscanned(self) -> list[str]:
        return [url for number, url in enumerate(self.loaded, 1) if number not in self._scanned]
