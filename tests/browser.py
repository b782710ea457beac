"""Real-browser helpers for the page tests (and the README screenshot): headless
Chromium (Debian's package) driven by Playwright, with every network request blocked.
One Chromium serves the whole test session (``shared_browser``); each page is a fresh
document in a reused tab.

Run as a script to refresh the README's screenshot:
    python tests/browser.py docs/stepper_page.png
"""
import atexit
import os
import shutil
import sys
import tempfile


def chromium_path():
    return shutil.which("chromium") or shutil.which("chromium-browser")


class Browser:
    """One headless Chromium; ``open(html)`` gives a page that records console errors,
    dialogs and any request that is not a local file (all blocked)."""

    def __init__(self):
        from playwright.sync_api import sync_playwright
        self._playwright = sync_playwright().start()
        self._browser = self._playwright.chromium.launch(
            executable_path=chromium_path(), args=["--no-sandbox"])
        self.folder = tempfile.mkdtemp(prefix="tg-pages-")
        self._tabs = {}  # (javascript, clock) -> the one tab of that kind

    def open(self, html: str, width: int = 1200, height: int = 800, javascript: bool = True,
             clock: bool = False):
        """A fresh document of ``html`` in the tab of its kind, reused from page to page: a
        new tab (its own renderer process) cost 0.45 s, a navigation 0.1 s, on 36 opens.
        ``clock``: the page's timers and animation frames run on a fake clock that
        ``settled`` fast-forwards (a glide to the current node is 350 ms of real time)."""
        path = os.path.join(self.folder, f"page{len(os.listdir(self.folder))}.html")
        with open(path, "w", encoding="utf-8") as f:
            f.write(html)
        page = self._tab(javascript, clock)
        page.keyboard.up("Shift"); page.keyboard.up("Control"); page.keyboard.up("Alt")
        page.mouse.move(0, 0)  # as a new tab's: at the corner, no button held (a failed test may leave one)
        page.mouse.up()
        page.set_viewport_size({"width": width, "height": height})
        page.errors[:], page.remote[:], page.dialogs[:] = [], [], []
        page.goto("file://" + path)
        return page

    def _tab(self, javascript: bool, clock: bool):
        page = self._tabs.get((javascript, clock))
        if page is not None and not page.is_closed():
            return page
        for other in self._tabs.values():  # one tab open at a time keeps memory flat
            if not other.is_closed():
                other.context.close()
        self._tabs.clear()
        context = self._browser.new_context(java_script_enabled=javascript)
        if clock:
            context.clock.install()
        page = context.new_page()
        page.fake_clock = clock
        page.errors, page.remote, page.dialogs = [], [], []
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))

        def route(r):
            if r.request.url.startswith("file://"):
                return r.continue_()
            page.remote.append(r.request.url)
            return r.abort()
        context.route("**/*", route)
        self._tabs[(javascript, clock)] = page
        return page

    def close(self):
        self._browser.close()
        self._playwright.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


_SHARED = []


def shared_browser() -> Browser:
    """The session's one Chromium, started on first use and closed at exit."""
    if not _SHARED:
        _SHARED.append(Browser())
        atexit.register(_SHARED[0].close)
    return _SHARED[0]


def settled(page) -> None:
    """Wait until the graph pane has stopped gliding (it follows the current node). On a
    fake clock, jump it 400 ms at a time (the glide takes 350 ms) until the pane is still:
    the glide's frames are then its first and its last, and the test waits for neither."""
    still = "[...document.querySelectorAll('.tg-graph')].every(p => p.dataset.moving !== '1')"
    if getattr(page, "fake_clock", False):
        for _ in range(10):
            if page.evaluate(still):
                return
            page.clock.fast_forward(400)
    page.wait_for_function(still)


def screenshot(out_path: str, width: int = 1280, height: int = 800) -> None:
    """The README's picture: the tour's neuron half-way through backward, a node clicked."""
    from tinygrad_edu.stepper import Stepper
    from tinygrad_edu.teach.tour import build_neuron
    root, _ = build_neuron()
    browser = Browser()
    try:
        page = browser.open(Stepper(root).to_html(), width=width, height=height)
        for _ in range(14):
            page.keyboard.press("ArrowRight")
        settled(page)
        page.locator("g.node:has(> title:text-is('v0'))").first.click()
        page.screenshot(path=out_path)
    finally:
        browser.close()


if __name__ == "__main__":
    screenshot(sys.argv[1] if len(sys.argv) > 1 else "docs/stepper_page.png")
