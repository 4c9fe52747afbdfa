"""The API documentation page (/api/v1/docs/): Swagger UI from the app's own static files runs
under the site's Content-Security-Policy (a refused script, style or request would be a
console error, which fails the test) and can call the API from the page."""

import re

from playwright.sync_api import expect


def test_the_api_docs_run_under_the_sites_csp_and_call_the_api(page, portal, shot):
    page.goto(portal.at("/api/v1/docs/"))
    expect(page.locator(".opblock-tag", has_text="Danh mục thủ tục")).to_be_visible()
    operation = page.locator(".opblock", has=page.locator('[data-path="/catalog/agencies/"]'))
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tbody .response-col_status").first
    ).to_have_text(re.compile(r"200"))
    shot(page, "Tài liệu API")
