"""The facilitator screen (facilitator-screen.html): self-contained, built from the guide's rounds, and it works.

The HTML of a full build is parsed (no external resource of any kind, every round of cards/gids.yaml in order)
and then driven in headless Chromium through Playwright with a fake clock: the timer counts down, pauses,
resets, runs over, and the keys move between rounds.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kaartenoptafel.build import BuildOptions, build
from kaartenoptafel.errors import Collector
from kaartenoptafel.layout.text import typographic
from kaartenoptafel.load.checks import fill
from kaartenoptafel.load.guide import parse_guide
from kaartenoptafel.project import load_project

CHROMIUM = Path("/usr/bin/chromium")


class Page(HTMLParser):
    """Every tag with its attributes, the text of each <h1>, the inline style and script text."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.h1: list[str] = []
        self.text: list[str] = []
        self.style = ""
        self.script = ""
        self._in: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in.append(tag)
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag):
        if self._in and self._in[-1] == tag:
            self._in.pop()

    def handle_data(self, data):
        where = self._in[-1] if self._in else ""
        if where == "style":
            self.style += data
        elif where == "script":
            self.script += data
        else:
            self.text.append(data)
            if "h1" in self._in:
                self.h1[-1] += data


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def plain(text: str) -> str:
    """A text as the screen shows it: no markup, quotes and apostrophes typographic (Dutch kit)."""
    return flat(typographic(text.replace("**", ""), "nl"))


@pytest.fixture(scope="module")
def manifest(built) -> dict:
    return json.loads((built / "manifest.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def screen(built, manifest) -> Path:
    found = [p for p in manifest["products"] if p["kind"] == "facilitator-screen"]
    assert len(found) == 1
    return built / found[0]["path"]


@pytest.fixture(scope="module")
def page(screen) -> Page:
    parsed = Page()
    parsed.feed(screen.read_text("utf-8"))
    return parsed


@pytest.fixture(scope="module")
def kit(repo):
    return load_project(repo)


@pytest.fixture(scope="module")
def guide(kit):
    return parse_guide(kit.sections["guide"], kit.game, kit.types, Collector())


def test_manifest_lists_the_screen(screen, manifest):
    import hashlib

    entry = next(p for p in manifest["products"] if p["kind"] == "facilitator-screen")
    assert entry["path"] == "facilitator-screen.html" and entry["per"] == "session"
    assert entry["sha256"] == hashlib.sha256(screen.read_bytes()).hexdigest()


def test_loads_no_external_resource(page, screen):
    raw = screen.read_text("utf-8")
    for tag, attrs in page.tags:
        for name in ("src", "href", "data", "poster", "action", "srcset"):
            value = attrs.get(name)
            if value is not None:
                assert value.startswith(("#", "data:")), (tag, name, value)
        assert not (tag == "link"), attrs  # no stylesheet, icon or preload of any file
        assert not (tag in ("iframe", "object", "embed", "img", "video", "audio")), tag
    urls = re.findall(r"url\(\s*['\"]?([^'\")]+)", page.style)
    assert urls and all(u.startswith("data:") for u in urls)  # the fonts are inline
    assert "@import" not in page.style
    assert not re.search(r"\b(fetch|XMLHttpRequest|import\(|WebSocket|EventSource)\b", page.script)
    assert "http://" not in raw and "https://" not in raw


def test_every_round_of_the_guide_is_a_screen_in_order(page, kit, guide, screen):
    v = kit.game.variables
    titles = [flat(h) for h in page.h1]
    assert len(titles) == len(guide.rounds) >= 5
    sections = [a for t, a in page.tags if t == "section"]
    text = flat(" ".join(page.text))
    for n, (r, shown, section) in enumerate(zip(guide.rounds, titles, sections), start=1):
        assert shown.endswith(plain(fill(r.title, v))), (shown, r.title)
        assert section["data-round"] == str(n) and int(section["data-seconds"]) == r.minutes * 60
        for part in r.goal + r.steps:
            assert plain(fill(part, v)) in text, part
    assert kit.game.title in text
    assert "{" not in text
    assert "'" not in text and '"' not in text, "straight quotes: the screen shows „...” and ’ as the printed guide does"


def test_screen_is_deterministic_and_translated(repo, tmp_path, screen):
    build(BuildOptions(project=repo, out_dir=tmp_path, only=("screen",), quiet=True))
    assert (tmp_path / "default" / screen.name).read_bytes() == screen.read_bytes()
    build(BuildOptions(project=repo, out_dir=tmp_path, region="english", only=("screen",), quiet=True))
    english = (tmp_path / "english" / screen.name).read_text("utf-8")
    assert '<html lang="en">' in english and "Round 1 of" in english and "Time is up" in english
    assert "Ronde" not in english and "Volgende" not in english


# -- in a real browser ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    sync = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    with sync.sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"])
        yield b
        b.close()


def visible(tab) -> list[str]:
    return tab.eval_on_selector_all(".round", "els => els.filter(e => !e.hidden).map(e => 'round-' + e.dataset.round)")


def clock(tab) -> str:
    return tab.inner_text(".round:not([hidden]) .time")


def test_timer_and_keys_work_in_chromium(browser, screen, guide, tmp_path):
    tab = browser.new_page(viewport={"width": 1280, "height": 720})
    requests = []
    tab.on("request", lambda r: requests.append(r.url))
    errors = []
    tab.on("pageerror", lambda e: errors.append(str(e)))
    tab.clock.install()
    tab.goto(screen.as_uri())
    first, second = guide.rounds[0].minutes, guide.rounds[1].minutes
    assert visible(tab) == ["round-1"] and clock(tab) == f"{first}:00"
    assert tab.inner_text("#where").startswith("Ronde 1 van")
    tab.keyboard.press("Space")
    tab.clock.run_for(61_000)
    assert clock(tab) == f"{first - 2}:59"
    tab.keyboard.press("Space")  # pause: the time stands still
    tab.clock.run_for(30_000)
    assert clock(tab) == f"{first - 2}:59"
    tab.keyboard.press("ArrowRight")
    assert visible(tab) == ["round-2"] and clock(tab) == f"{second}:00"
    tab.keyboard.press("PageUp")  # a presenter clicker's 'back'
    assert visible(tab) == ["round-1"] and clock(tab) == f"{first - 2}:59"  # each round keeps its own time
    tab.keyboard.press("r")
    assert clock(tab) == f"{first}:00"
    tab.click(".round:not([hidden]) button.start")
    tab.clock.run_for(first * 60_000 + 12_000)
    assert clock(tab) == "+0:12"
    assert "late" in tab.get_attribute(".round:not([hidden]) .clock", "class")
    assert tab.inner_text(".round:not([hidden]) .up") == "De tijd is om"
    tab.screenshot(path=str(tmp_path / "late.png"))
    for _ in range(len(guide.rounds) + 2):
        tab.keyboard.press("ArrowRight")
    assert visible(tab) == [f"round-{len(guide.rounds)}"]  # stops at the last round
    assert errors == []
    assert all(u.startswith(("file:", "data:")) for u in requests), requests
    tab.close()


def test_a_round_in_the_address_opens_there(browser, screen):
    tab = browser.new_page(viewport={"width": 1024, "height": 768})
    tab.goto(screen.as_uri() + "#round-3")
    assert visible(tab) == ["round-3"] and tab.evaluate("window.scrollY") == 0  # the header stays in view
    # large type: the round title and the steps are big enough to read on a projector
    sizes = tab.evaluate("""() => {
        const r = document.querySelector('.round:not([hidden])');
        const px = e => parseFloat(getComputedStyle(e).fontSize);
        return {h1: px(r.querySelector('h1')), li: px(r.querySelector('li')), time: px(r.querySelector('.time'))};
    }""")
    assert sizes["h1"] >= 32 and sizes["li"] >= 18 and sizes["time"] >= 80, sizes
    tab.close()


def test_every_round_fits_a_projector_screen_without_scrolling(browser, screen, guide):
    """A long round's text shrinks (not below 60 %) until its page fits a 1366 x 768 screen."""
    tab = browser.new_page(viewport={"width": 1366, "height": 768})
    tab.goto(screen.as_uri())
    for n in range(1, len(guide.rounds) + 1):
        assert visible(tab) == [f"round-{n}"]
        high, room = tab.evaluate("[document.documentElement.scrollHeight, innerHeight]")
        assert high <= room, (n, high, room)
        tab.keyboard.press("ArrowRight")
    tab.close()
