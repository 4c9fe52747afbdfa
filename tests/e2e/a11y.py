"""Accessibility checks for the browser journeys: axe-core in the page, nothing serious.

axe-core comes with the `axe-playwright-python` package (its `axe.min.js`); Playwright
evaluates it in the page (no CDN, no network, and the portal's Content-Security-Policy does
not apply to what the test harness evaluates). A page passes when axe reports no violation
of impact "serious" or "critical" under the WCAG 2.x A/AA rules and axe's best practices.
docs/accessibility.md lists what is checked and how.
"""

from __future__ import annotations

from functools import cache

from playwright.sync_api import Page

BLOCKING = ("serious", "critical")
# The WCAG 2.0/2.1/2.2 A and AA rules and axe's best practices (landmarks, headings…).
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@cache
def _axe_script() -> str:
    from axe_playwright_python.base import AXE_SCRIPT

    return AXE_SCRIPT


def axe_violations(page: Page, *, impacts: tuple[str, ...] = BLOCKING) -> list[dict]:
    """axe-core's violations on the page as it is now, of the given impacts."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_script())
    results = page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
            });
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html,
                                          summary: n.failureSummary})),
            }));
        }""",
        TAGS,
    )
    return [v for v in results if v["impact"] in impacts]


def report(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node['html'][:160]}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      ")[:400])
    return "\n".join(lines)


def expect_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page as it is now."""
    violations = axe_violations(page)
    path = page.evaluate("() => location.pathname + location.search")
    assert not violations, f"accessibility violations on {path}:\n{report(violations)}"


def expect_no_horizontal_scroll(page: Page) -> None:
    """The page is no wider than the window: nothing to scroll sideways (on a phone-sized
    viewport, no wider than the configured screen either, since mobile Chromium zooms out
    to show content that overflows)."""
    scroll_width, inner_width, path = page.evaluate(
        "() => [document.scrollingElement.scrollWidth, window.innerWidth, location.pathname]"
    )
    limit = min(inner_width, page.viewport_size["width"]) if page.viewport_size else inner_width
    assert scroll_width <= limit, (
        f"horizontal scrolling on {path}: content {scroll_width}px, window {inner_width}px"
    )
