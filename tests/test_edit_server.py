"""`kot edit` as a server: 127.0.0.1 only, Host/token/Origin checks, and what each API call does to the files."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import editserver
from kaartenoptafel.project import load_project
from kaartenoptafel.load.yamlfile import read_yaml

httpx = editserver.need("httpx")


@pytest.fixture
def live(tmp_path):
    server = editserver.start(editserver.copy_kit(tmp_path))
    yield server
    server.stop()


def post(live, path, body, **headers):
    headers = {"X-Kot-Token": live.token, "Origin": live.base, **headers}
    return httpx.post(live.base + path, json=body, headers=headers, cookies={f"kot_token_{live.port}": live.token})


def unreferenced_role(root: Path, region: str | None = None) -> str:
    """A role card no other card refers to (and no overlay names), whatever the content is today."""
    kit = load_project(root, region)
    used = set()
    for card in kit.cards:
        for name, spec in kit.types[card.type].fields.items():
            if spec.kind == "ref":
                value = card.fields.get(name)
                used |= set(value) if isinstance(value, list) else {value}
    overlay = root / "cards" / "regions" / f"{region}.yaml"
    used |= set(overlay.read_text("utf-8").replace(":", " ").split()) if region else set()
    return next(c.id for c in kit.cards if c.type == "rol" and c.id not in used and c.id != "uwv")


def test_cli_prints_a_local_url_and_stops_on_ctrl_c(tmp_path):
    editserver.need("uvicorn")
    root = editserver.copy_kit(tmp_path)
    env = dict(os.environ, PYTHONPATH=str(editserver.REPO / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "kaartenoptafel", "edit", "--project", str(root), "--no-browser"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    try:
        line = proc.stdout.readline()
        assert line.startswith("kot edit: http://127.0.0.1:"), line
        url = line.split()[-1]
        port = int(url.split(":")[2].split("/")[0])
        assert "token=" in url and len(url.split("token=")[1]) >= 24
        for _ in range(100):
            try:
                response = httpx.get(url, timeout=5)
                break
            except httpx.ConnectError:
                time.sleep(0.1)
        assert response.status_code == 200 and "data-card=" in response.text
        assert httpx.get(url.split("?")[0], timeout=5).status_code == 403  # no token
        # listening on 127.0.0.1 only: the machine's other addresses are not served
        import socket

        other = socket.gethostbyname(socket.gethostname())
        if not other.startswith("127."):
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"http://{other}:{port}/", timeout=2)
    finally:
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, err
    assert "Traceback" not in err


def test_foreign_host_missing_token_and_cross_site_changes_are_refused(live):
    ok = httpx.get(live.url)
    assert ok.status_code == 200
    assert httpx.get(live.url, headers={"Host": "evil.example:80"}).status_code == 403  # DNS rebinding
    assert httpx.get(live.base + "/").status_code == 403  # no token
    assert httpx.get(live.base + "/?token=wrong").status_code == 403
    cookie = {f"kot_token_{live.port}": live.token}
    assert httpx.get(live.base + "/card/uwv", cookies=cookie).status_code == 200  # the cookie set at first visit
    assert f"kot_token_{live.port}" in ok.headers["set-cookie"] and "SameSite=Strict" in ok.headers["set-cookie"]
    body = {"card": "uwv", "values": {"missie": "Weg ermee."}}
    before = (live.root / "cards" / "rollen.yaml").read_bytes()
    assert httpx.post(live.base + "/api/save", json=body, cookies=cookie).status_code == 403  # cookie only
    assert post(live, "/api/save", body, Origin="http://evil.example").status_code == 403
    assert post(live, "/api/save", body, **{"X-Kot-Token": "wrong"}).status_code == 403
    assert post(live, "/api/save", body, Host="evil.example").status_code == 403
    assert (live.root / "cards" / "rollen.yaml").read_bytes() == before


def test_save_through_the_api_and_a_conflict(live):
    path = live.root / "cards" / "rollen.yaml"
    check = post(live, "/api/check", {"card": "uwv", "values": {"missie": "Werk voor iedereen in {gemeente}."}}).json()
    assert check["ok"] and check["front"].startswith("data:image/png;base64,")
    assert check["lengths"]["missie"] == len("Werk voor iedereen in Middenstad.")
    from kaartenoptafel.edit.yamlio import file_digest

    hashes = {"cards/rollen.yaml": file_digest(path)}
    path.write_bytes(path.read_bytes().replace(b"titel: UWV", b"titel: UWV (hand)"))
    r = post(live, "/api/save", {"card": "uwv", "values": {"missie": "Van mij."}, "hashes": hashes})
    assert r.status_code == 409 and "rollen.yaml" in r.json()["message"]
    assert b"Van mij." not in path.read_bytes()


def test_region_edits_land_in_the_overlay(tmp_path):
    root = editserver.copy_kit(tmp_path)
    live = editserver.start(root, region="drenthe")
    try:
        base = (root / "cards" / "rollen.yaml").read_bytes()
        r = post(live, "/api/save", {"card": "uwv", "values": {"missie": "Werk in Drenthe.", "count": "2"}})
        assert r.status_code == 200, r.text
        data = read_yaml(root / "cards" / "regions" / "drenthe.yaml")[0].data
        assert data["change"]["uwv"] == {"missie": "Werk in Drenthe."}
        assert data["counts"] == {"uwv": 2}
        assert (root / "cards" / "rollen.yaml").read_bytes() == base
        kit = load_project(root, "drenthe")
        uwv = next(c for c in kit.cards if c.id == "uwv")
        assert uwv.fields["missie"] == "Werk in Drenthe." and uwv.count == 2
        # back to the base value: the overlay forgets it
        missie = next(c for c in load_project(root).cards if c.id == "uwv").fields["missie"]
        r = post(live, "/api/save", {"card": "uwv", "values": {"missie": missie, "count": "1"}})
        assert r.status_code == 200
        data = read_yaml(root / "cards" / "regions" / "drenthe.yaml")[0].data
        assert "uwv" not in (data.get("change") or {}) and "uwv" not in (data.get("counts") or {})
        # new, copy and delete go into add: and remove:
        assert post(live, "/api/copy", {"card": "uwv", "id": "uwv-assen"}).json()["card"] == "uwv-assen"
        victim = unreferenced_role(root, "drenthe")
        assert post(live, "/api/delete", {"card": victim}).status_code == 200
        data = read_yaml(root / "cards" / "regions" / "drenthe.yaml")[0].data
        assert "uwv-assen" in [c["id"] for c in data["add"]] and victim in data["remove"]
        ids = [c.id for c in load_project(root, "drenthe").cards]
        assert "uwv-assen" in ids and victim not in ids
        assert (root / "cards" / "rollen.yaml").read_bytes() == base
        r = post(live, "/api/variables", {"values": {"gemeente": "Emmen"}})
        assert r.status_code == 200
        assert read_yaml(root / "cards" / "regions" / "drenthe.yaml")[0].data["variables"]["gemeente"] == "Emmen"
    finally:
        live.stop()


def test_new_copy_and_delete_in_the_base(live):
    r = post(live, "/api/new", {"type": "vraag", "id": "vraag-nieuw"}).json()
    assert r["ok"] and r["card"] == "vraag-nieuw"
    r = post(live, "/api/copy", {"card": "uwv", "id": "uwv-twee"}).json()
    assert r["ok"]
    kit = load_project(live.root)
    ids = [c.id for c in kit.cards]
    assert "vraag-nieuw" in ids and "uwv-twee" in ids
    copy = next(c for c in kit.cards if c.id == "uwv-twee")
    assert copy.fields == next(c for c in kit.cards if c.id == "uwv").fields
    assert post(live, "/api/copy", {"card": "uwv", "id": "uwv-twee"}).status_code == 422  # the id is taken
    # a card a region overlay changes cannot be deleted silently
    r = post(live, "/api/delete", {"card": "steunfunctie"})
    assert r.status_code == 422 and "drenthe" in r.json()["message"]
    assert "steunfunctie" in [c.id for c in load_project(live.root).cards]
    # nor a card another card refers to (a situation's 'waar' names a role card)
    kit = load_project(live.root)
    refs = [(c.fields[n], c.id) for c in kit.cards for n, spec in kit.types[c.type].fields.items()
            if spec.kind == "ref" and n in c.fields]
    if refs:
        target, referrer = refs[0]
        r = post(live, "/api/delete", {"card": target})
        assert r.status_code == 422 and referrer in r.json()["message"]
        assert target in [c.id for c in load_project(live.root).cards]
    assert post(live, "/api/delete", {"card": "uwv-twee"}).json()["ok"]
    assert "uwv-twee" not in [c.id for c in load_project(live.root).cards]


def test_page_texts_follow_the_games_language(tmp_path):
    root = editserver.copy_kit(tmp_path)
    live = editserver.start(root, region="english")
    try:
        english = httpx.get(live.page("/card/uwv")).text
        dutch = httpx.get(live.page("/card/uwv?region=-")).text
        assert ">Save<" in english and 'lang="en"' in english
        assert ">Opslaan<" in dutch and 'lang="nl"' in dutch
        r = post(live, "/api/check", {"card": "uwv", "values": {"missie": "x" * 200}, "region": "english"}).json()
        assert r["problems"]["missie"][0].startswith("Too long: 200 characters")
        r = post(live, "/api/check", {"card": "uwv", "values": {"missie": "x" * 200}, "region": "-"}).json()
        assert r["problems"]["missie"][0].startswith("Te lang: 200 tekens")
    finally:
        live.stop()


def test_the_catalogues_have_the_same_texts():
    from kaartenoptafel.edit.messages import catalogue, languages

    keys = [set(catalogue(lang)["texts"]) for lang in languages()]
    assert len(keys) >= 2 and all(k == keys[0] for k in keys)
    import re

    used = set()
    folder = Path(editserver.REPO / "src" / "kaartenoptafel" / "edit")
    for path in list((folder / "templates").glob("*.html")) + [folder / "static" / "editor.js", folder / "server.py"]:
        used |= set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']\s*[,)]""", path.read_text("utf-8")))
    assert used and used <= keys[0], used - keys[0]


def test_card_list_and_heading_show_titles_as_they_print(live):
    """A title written with a variable ({taalhuis}) is listed and headed as the card prints it, never as '{...}'."""
    import html
    import re

    kit = load_project(live.root)
    card = next(c for c in kit.cards if "{" in str(c.fields.get(kit.types[c.type].title_field, "")))
    raw_title = str(card.fields[kit.types[card.type].title_field])
    page = html.unescape(httpx.get(live.page(f"/card/{card.id}")).text)
    listed = re.findall(r"<strong>([^<]*)</strong><small>", page)
    heading = re.search(r"<h1>([^<]*)</h1>", page).group(1)
    assert listed and not any("{" in name for name in listed), [n for n in listed if "{" in n]
    from kaartenoptafel.load.checks import fill

    assert heading == fill(raw_title, kit.game.variables) != raw_title
