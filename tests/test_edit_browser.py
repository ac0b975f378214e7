"""`kot edit` in a real browser (Playwright driving Debian's Chromium): edit, preview, save, errors, conflicts, regions.

Also makes the README's screenshot (docs/editor.png, renewed with KOT_UPDATE_SCREENSHOT=1). Needs the `edit` and `test` extras and /usr/bin/chromium;
on CI (CI=true) their absence fails these tests instead of skipping them.
"""

from __future__ import annotations

import difflib
import io
import os
import shutil
from pathlib import Path

import pytest

import editserver

sync_api = editserver.need("playwright.sync_api")

REPO = editserver.REPO


def base_card(card_id: str) -> dict:
    """A card as the kit's own files have it (the content changes; the tests follow it)."""
    from kaartenoptafel.load.yamlfile import read_yaml

    for path in sorted((REPO / "cards").glob("*.yaml")):
        data = read_yaml(path)[0].data
        for card in (data.get("cards") or []) if isinstance(data, dict) else []:
            if card.get("id") == card_id:
                return card
    raise KeyError(card_id)


def diff_lines(old: bytes, new: bytes) -> list[str]:
    return [line for line in difflib.unified_diff(old.decode().splitlines(), new.decode().splitlines(), lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        b = editserver.chromium(p)
        yield b
        b.close()


@pytest.fixture
def live(tmp_path):
    server = editserver.start(editserver.copy_kit(tmp_path))
    yield server
    server.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    p = context.new_page()
    errors = []
    p.on("pageerror", lambda e: errors.append(str(e)))
    yield p
    context.close()
    assert not errors, errors


def open_card(page, live, card_id: str, region: str | None = None):
    path = f"/card/{card_id}" + (f"?region={region}" if region else "")
    page.goto(live.page(path))
    page.wait_for_function("document.querySelector('[data-preview=front]').src.startsWith('data:image/png')")


def test_edit_preview_save_changes_exactly_one_line(live, page):
    path = live.root / "cards" / "rollen.yaml"
    before = path.read_bytes()
    open_card(page, live, "uwv")
    assert page.locator("[data-card=uwv]").count() == 1
    old_front = page.get_attribute("[data-preview=front]", "src")
    old_back = page.get_attribute("[data-preview=back]", "src")
    page.fill("[data-field=missie]", "Mensen in {gemeente} aan werk helpen.")
    page.wait_for_function("src => document.querySelector('[data-preview=front]').src !== src", arg=old_front)
    assert page.get_attribute("[data-preview=back]", "src") == old_back  # this card has the type's back
    assert path.read_bytes() == before  # not saved yet: the preview changed first
    counter = page.locator("[data-counter-for=missie]").inner_text()
    assert counter.startswith(f"{len('Mensen in Middenstad aan werk helpen.')} van 90")  # the filled length
    page.click("[data-action=save]")
    page.wait_for_selector("#status.good")
    after = path.read_bytes()
    assert diff_lines(before, after) == [f"-    missie: {base_card('uwv')['missie']}",
                                         "+    missie: Mensen in {gemeente} aan werk helpen."]
    from kaartenoptafel.project import load_project

    uwv = next(c for c in load_project(live.root).cards if c.id == "uwv")
    assert uwv.fields["missie"] == "Mensen in {gemeente} aan werk helpen."


def test_the_preview_is_kot_previews_rendering(live, page):
    """The page's front is pixel for pixel what `kot preview` draws (same print-shop PDF, same rasteriser)."""
    from PIL import Image, ImageChops

    from kaartenoptafel.build import prepare
    from kaartenoptafel.commands.cardimage import card_image, find_card
    from kaartenoptafel.edit.drafts import PREVIEW_DPI

    open_card(page, live, "taalhuis")
    src = page.get_attribute("[data-preview=front]", "src")
    import base64

    shown = Image.open(io.BytesIO(base64.b64decode(src.split(",", 1)[1]))).convert("RGB")
    ctx = prepare(live.root)
    expected = card_image(ctx, find_card(ctx.kit, "taalhuis"), dpi=PREVIEW_DPI)
    assert shown.size == expected.size
    assert ImageChops.difference(shown, expected).getbbox() is None


def test_a_text_over_the_maximum_shows_its_error_and_is_not_saved(live, page):
    path = live.root / "cards" / "rollen.yaml"
    before = path.read_bytes()
    open_card(page, live, "uwv")
    page.fill("[data-field=missie]", "x" * 95)
    error = page.locator("[data-error-for=missie]")
    error.wait_for()
    assert "95" in error.inner_text() and "90" in error.inner_text() and "5" in error.inner_text()
    assert page.locator("[data-field=missie]").get_attribute("maxlength") is None
    assert "5 te veel" in page.locator("[data-counter-for=missie]").inner_text()
    # the error stands beside its field
    row = page.locator("[data-field-row=missie]")
    assert row.locator("[data-error-for=missie]").count() == 1
    page.click("[data-action=save]")
    page.wait_for_selector("#status.bad")
    assert path.read_bytes() == before


def test_list_lines_can_be_added_removed_and_reordered(live, page):
    path = live.root / "cards" / "rollen.yaml"
    open_card(page, live, "uwv")
    lines = page.locator("[data-field=brengt] input[data-item]")
    assert lines.count() == 3
    page.locator("[data-field=brengt] .line").nth(2).locator("[data-action=up]").click()
    page.locator("[data-field=brengt] .line").nth(0).locator("[data-action=remove]").click()
    add = page.locator("[data-field=haalt] [data-action=add-line]")
    assert add.is_disabled()  # haalt takes two lines at most
    page.locator("[data-field=haalt] .line").nth(0).locator("[data-action=remove]").click()
    add.click()
    page.locator("[data-field=haalt] input[data-item]").nth(1).fill("Een nieuwe regel die veel te lang is voor de kaart")
    error = page.locator("[data-error-for=haalt]")
    error.wait_for()
    assert error.inner_text().startswith("Regel 2 is te lang")
    page.locator("[data-field=haalt] input[data-item]").nth(1).fill("Een nieuwe regel")
    error.wait_for(state="detached")
    page.click("[data-action=save]")
    page.wait_for_selector("#status.good")
    from kaartenoptafel.load.yamlfile import read_yaml

    uwv = next(c for c in read_yaml(path)[0].data["cards"] if c["id"] == "uwv")
    brengt, haalt = base_card("uwv")["brengt"], base_card("uwv")["haalt"]
    assert uwv["brengt"] == [brengt[2], brengt[1]]  # the third moved up, then the first removed
    assert uwv["haalt"] == [haalt[1], "Een nieuwe regel"]


def test_a_file_changed_on_disk_is_a_conflict_not_an_overwrite(live, page):
    path = live.root / "cards" / "rollen.yaml"
    open_card(page, live, "uwv")
    page.fill("[data-field=missie]", "Mijn eigen missie.")
    page.wait_for_timeout(300)
    hand = path.read_bytes().replace(b"titel: UWV\n", b"titel: UWV Nederland\n")
    path.write_bytes(hand)  # someone edits the file by hand meanwhile
    page.click("[data-action=save]")
    page.wait_for_selector("#status.bad")
    assert "rollen.yaml" in page.inner_text("#status")  # the save was refused and says why
    assert page.locator("#banner").is_visible()  # with the offer to reload
    assert path.read_bytes() == hand
    page.click("#banner [data-action=reload]")
    page.wait_for_function("document.querySelector('[data-field=titel]').value === 'UWV Nederland'")


def test_hand_edits_appear_without_a_restart(live, page):
    path = live.root / "cards" / "rollen.yaml"
    open_card(page, live, "uwv")
    path.write_bytes(path.read_bytes().replace(b"titel: UWV\n", b"titel: UWV Drenthe\n"))
    page.wait_for_function("document.querySelector('[data-field=titel]') && "
                           "document.querySelector('[data-field=titel]').value === 'UWV Drenthe'", timeout=10000)


def test_a_region_edit_lands_in_change_and_the_base_is_untouched(tmp_path, page):
    root = editserver.copy_kit(tmp_path)
    live = editserver.start(root, region="drenthe")
    try:
        base = (root / "cards" / "rollen.yaml").read_bytes()
        overlay = root / "cards" / "regions" / "drenthe.yaml"
        before = overlay.read_bytes()
        open_card(page, live, "uwv", "drenthe")
        assert base_card("uwv")["missie"] in page.inner_text("[data-field-row=missie] .base-value")  # side by side
        page.fill("[data-field=missie]", "Werk vinden in Drenthe.")
        page.click("[data-action=save]")
        page.wait_for_selector("#status.good")
        assert (root / "cards" / "rollen.yaml").read_bytes() == base
        added = [line for line in diff_lines(before, overlay.read_bytes()) if line.startswith("+")]
        assert added == ["+  uwv:", "+    missie: Werk vinden in Drenthe."]
        from kaartenoptafel.load.yamlfile import read_yaml

        assert read_yaml(overlay)[0].data["change"]["uwv"] == {"missie": "Werk vinden in Drenthe."}
    finally:
        live.stop()


def test_build_from_the_page(live, page):
    page.goto(live.page("/build"))
    page.click("[data-action=build]")
    page.wait_for_selector("[data-download='deck-printshop.pdf']", timeout=120000)
    names = page.locator("[data-download]").all_inner_texts()
    import json

    manifest = json.loads((live.root / "output" / "default" / "manifest.json").read_text("utf-8"))
    assert sorted(names) == sorted(p["path"] for p in manifest["products"])
    assert page.locator("#progress-bar").evaluate("e => e.style.width") == "100%"
    page.wait_for_function("document.querySelector('#sheet-img').naturalWidth > 100")
    response = page.request.get(live.base + "/download/default/deck-printshop.pdf")
    assert response.ok and response.body()[:5] == b"%PDF-"


def test_screenshot_for_the_readme(live, page):
    open_card(page, live, "taalhuis")
    page.fill("[data-field=missie]", "Volwassenen in {gemeente} helpen met taal, rekenen en digitale vaardigheden, "
                                     "dicht bij huis en samen met veel partners.")
    page.locator("[data-error-for=missie]").wait_for()
    page.wait_for_timeout(300)
    target = REPO / "docs" / "editor.png"
    shot = live.root / "editor.png"
    page.screenshot(path=str(shot))
    from PIL import Image

    image = Image.open(shot)
    assert image.size == (1400, 1000)
    if os.environ.get("KOT_UPDATE_SCREENSHOT") == "1":  # the README's picture, renewed on request only
        image.convert("RGB").quantize(colors=128).save(target, optimize=True)  # small enough to keep in git
    assert Image.open(target).size == image.size
