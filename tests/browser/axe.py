"""Accessibility checks with axe-core against WCAG 2.2 AA.

axe is injected through Playwright's `evaluate` (the DevTools protocol), not a <script> tag, so
the site's Content-Security-Policy stays in force while the browser tests run: a page whose own
scripts break under the policy fails here as it would for a user.
"""

from pathlib import Path

from playwright.sync_api import Page

AXE_PATH = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_RUN = """tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(results =>
  results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target, summary: n.failureSummary})),
  })))"""


def axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(f"axe-core is missing at {AXE_PATH}: run `npm ci`")
    return AXE_PATH.read_text()


def violations(page: Page) -> list[dict]:
    """The WCAG 2.2 AA violations axe finds in the page as it is now."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(_RUN, WCAG_TAGS)


def describe(found: list[dict], *, url: str, title: str) -> str:
    lines = [f"axe found {len(found)} accessibility violation(s) on {url} ({title!r}):"]
    for violation in found:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}")
            for line in (node.get("summary") or "").splitlines():
                if line.strip():
                    lines.append(f"      {line.strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page, *, url: str | None = None) -> None:
    """Fail with a readable list of every violation: rule, impact, help and failing elements."""
    found = violations(page)
    if found:
        raise AssertionError(describe(found, url=url or page.url, title=page.title()))
