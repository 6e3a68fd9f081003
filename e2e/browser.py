"""What every browser test does on every page it visits: ``new_page`` opens it at a
viewport, ``check_page`` checks it.

A full-page screenshot under artifacts/e2e/<viewport>/, then the checks each page
must pass at every viewport: zero serious or critical axe-core violations, no
sideways scrolling, no Content-Security-Policy refusals.
"""

import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "artifacts" / "e2e"
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"

# A cheap phone and an office screen; every browser test runs at both.
VIEWPORTS = {
    "phone": {"width": 360, "height": 740},
    "desk": {"width": 1280, "height": 800},
}
BLOCKING_IMPACTS = {"serious", "critical"}

AXE_RUN_JS = """async () => {
    const results = await axe.run(document, {resultTypes: ["violations"]});
    return results.violations.map((v) => ({
        id: v.id,
        impact: v.impact,
        help: v.help,
        nodes: v.nodes.map((n) => n.target.join(" ")),
    }));
}"""

# Names the elements that reach past the window's right edge, to say what to fix.
# Images that loaded nothing (a missing file, an SVG without its namespace): what a
# person sees as a broken-image icon where a photo or a poster's QR code should be.
BROKEN_IMAGES_JS = """() => Array.from(document.images)
    .filter((img) => img.complete && img.naturalWidth === 0 && img.getAttribute("src"))
    .map((img) => img.getAttribute("src"))"""

OVERFLOWING_JS = """() => {
    const limit = window.innerWidth + 1;
    const found = [];
    for (const el of document.body.querySelectorAll("*")) {
        const right = el.getBoundingClientRect().right;
        if (right > limit) {
            const id = el.id ? "#" + el.id : "";
            const cls = el.classList.length ? "." + [...el.classList].join(".") : "";
            found.push(`${el.tagName.toLowerCase()}${id}${cls} (right edge ${Math.round(right)})`);
        }
    }
    return found.slice(0, 8);
}"""


@functools.cache
def axe_source() -> str:
    if not AXE_JS.exists():
        raise RuntimeError(f"{AXE_JS} is missing: run scripts/setup.sh (npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


def new_page(browser, live_server, viewport: str, zoom: int = 1):
    """A page in a fresh context (no cookies) at the viewport, as a phone set to
    Chinese would open it; Content-Security-Policy refusals are collected in
    ``page.csp_refusals`` for check_page. Close ``page.context`` when done.

    ``zoom`` 2 is the viewport zoomed to 200 %, as a browser zooms: a CSS pixel
    becomes two device pixels, so the page lays itself out in half the width and
    height (the phone's 360 × 740 becomes 180 × 370 CSS px, media queries and all)."""
    size = VIEWPORTS[viewport]
    context = browser.new_context(
        viewport={"width": size["width"] // zoom, "height": size["height"] // zoom},
        device_scale_factor=zoom,
        locale="zh-CN",
        base_url=live_server.url,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.csp_refusals = []

    def note_csp_refusal(message):
        if "Content Security Policy" in message.text:
            page.csp_refusals.append(message.text)

    page.on("console", note_csp_refusal)
    return page


def viewport_name(page) -> str:
    size = page.viewport_size
    for name, known in VIEWPORTS.items():
        if known == size:
            return name
    for name, known in VIEWPORTS.items():
        if {"width": known["width"] // 2, "height": known["height"] // 2} == size:
            return f"{name}-zoom200"
    return "{width}x{height}".format(**size)


def run_axe(page) -> list[dict]:
    """Inject axe-core into the page and return its violations for the whole document.

    The source goes in through page.evaluate (the DevTools protocol), not a <script>
    tag, which our Content-Security-Policy would refuse as inline script.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(AXE_RUN_JS)


def check_page(page, name: str) -> None:
    """Screenshot the page as artifacts/e2e/<viewport>/<name>.png and fail, listing
    every problem, on serious/critical axe violations, sideways scrolling, broken images
    or CSP refusals (collected by the ``page`` fixture)."""
    page.wait_for_load_state("load")
    viewport = viewport_name(page)
    folder = ARTIFACTS / viewport
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=folder / f"{name}.png", full_page=True)

    problems = []
    scroll_width, window_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if scroll_width > window_width + 1:
        problems.append(
            f"scrolls sideways: scrollWidth {scroll_width} > innerWidth {window_width}; "
            f"too wide: {', '.join(page.evaluate(OVERFLOWING_JS))}"
        )
    for violation in run_axe(page):
        if violation["impact"] in BLOCKING_IMPACTS:
            problems.append(
                f"axe {violation['id']} ({violation['impact']}): {violation['help']}; "
                f"nodes: {' | '.join(violation['nodes'])}"
            )
    if viewport == "phone":
        # On a phone every link, button and control is a finger's size (44 × 44 px).
        problems.extend(f"touch target under 44×44 px: {small}" for small in small_targets(page))
    problems.extend(f"broken image: {src}" for src in page.evaluate(BROKEN_IMAGES_JS))
    refusals = getattr(page, "csp_refusals", [])
    problems.extend(f"CSP refused: {text}" for text in refusals)
    refusals.clear()

    assert not problems, f"{name} at {viewport} ({page.url}):\n  " + "\n  ".join(problems)


def log_in(page, phone: str, next_url: str, name: str, password: str | None = None) -> None:
    """Log in through the log-in page (checked as ``name``) and land on ``next_url``."""
    import re
    from urllib.parse import quote

    from playwright.sync_api import expect

    from gongzhi.demo.places import DEMO_PASSWORD

    page.goto(f"/accounts/login/?next={quote(next_url)}")
    check_page(page, name)
    page.fill("#id_login", phone)
    page.fill("#id_password", password or DEMO_PASSWORD)
    page.locator('main form[method="post"] button[type="submit"]').click()
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))
    expect(page.locator(".account-nav .user-name")).to_be_visible()


# Each visible link, button, form control and disclosure under the selector that a
# finger cannot hit: smaller than 44 × 44 CSS px (WCAG 2.5.5's target size). A
# checkbox or radio button is measured with its label, which sets it too; content
# inside a closed <details> is not there to hit. A link set inline in running text
# (WCAG 2.5.8's inline exception: its line's height is the text's) is left out.
SMALL_TARGETS_JS = """([selector, least]) => {
    const targets = "a[href], button, select, textarea, input:not([type=hidden]), "
        + "summary, [role=button]";
    function runningText(el) {
        if (el.tagName !== "A" || getComputedStyle(el).display !== "inline") return false;
        let block = el.parentElement;
        while (block && getComputedStyle(block).display.startsWith("inline")) {
            block = block.parentElement;
        }
        if (!block || block.tagName !== "P") return false;
        const words = block.innerText.replace(el.innerText, "");
        return words.replace(/[\\s\\p{P}\\p{S}]/gu, "").length >= 2;
    }
    function box(el) {
        const own = el.getBoundingClientRect();
        if (!["checkbox", "radio"].includes(el.type) || !el.labels || !el.labels.length) {
            return own;
        }
        let [left, top, right, bottom] = [own.left, own.top, own.right, own.bottom];
        for (const label of el.labels) {
            const r = label.getBoundingClientRect();
            left = Math.min(left, r.left); top = Math.min(top, r.top);
            right = Math.max(right, r.right); bottom = Math.max(bottom, r.bottom);
        }
        return {width: right - left, height: bottom - top};
    }
    const found = [];
    const seen = new Set();
    for (const root of document.querySelectorAll(selector)) {
        for (const el of root.querySelectorAll(targets)) {
            if (seen.has(el)) continue;
            seen.add(el);
            const own = el.getBoundingClientRect();
            const style = getComputedStyle(el);
            if (!own.width || !own.height || style.visibility === "hidden") continue;
            if (el.checkVisibility && !el.checkVisibility()) continue;
            if (el.closest(".visually-hidden") && el !== document.activeElement) continue;
            const size = box(el);
            if (size.width >= least - 0.5 && size.height >= least - 0.5) continue;
            if (runningText(el)) continue;
            const name = (el.innerText || el.getAttribute("aria-label") || el.name || "").trim();
            found.push(`${el.tagName.toLowerCase()} "${name.slice(0, 30)}" `
                + `${Math.round(size.width)}×${Math.round(size.height)}`);
        }
    }
    return found;
}"""


def small_targets(page, selector: str = "body", least: int = 44) -> list[str]:
    """The visible targets under ``selector`` smaller than ``least`` × ``least`` px."""
    return page.evaluate(SMALL_TARGETS_JS, [selector, least])


def assert_touch_targets(page, selector: str, least: int = 44) -> None:
    """Fail, naming each one, if a visible link, button, control or disclosure inside
    the elements matching ``selector`` is smaller than ``least`` × ``least`` CSS px
    (a checkbox or radio button with its label; an inline link in running text is
    exempt). The selector must match something on the page; ``"body"`` checks it all."""
    assert page.locator(selector).count(), f"nothing matches {selector!r} on {page.url}"
    small = small_targets(page, selector, least)
    assert not small, (
        f"touch targets under {least}×{least} px in {selector!r} at "
        f"{viewport_name(page)} ({page.url}): " + "; ".join(small)
    )
