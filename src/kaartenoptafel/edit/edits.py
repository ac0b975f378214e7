"""What a click in the editor does to the files: save, new, copy, delete, variables.

Without a region the card's own file changes. With a region only its overlay changes: a field goes into
``change:``, a copy count into ``counts:``, a new card into ``add:``, a deletion into ``remove:``; a card the
overlay adds itself is edited in its ``add:`` entry. Every write goes through :mod:`.yamlio` (checked, only
the lines that changed, atomic) after checking that the file is still the one the page was showing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kaartenoptafel.edit import drafts
from kaartenoptafel.edit.workspace import Entry, Workspace
from kaartenoptafel.edit.yamlio import Conflict, Editor, Refused, Source, file_digest, read_source, write, write_bytes
from kaartenoptafel.load.checks import SLUG


def _check_hash(ws: Workspace, shown: str, hashes: dict[str, str] | None) -> None:
    """The page's copy of ``shown`` must be the file on disk now; otherwise someone else saved it."""
    if hashes is None or shown not in hashes:
        return
    if hashes[shown] != (file_digest(ws.path_of(shown)) or ""):
        raise Conflict(shown)


def _open(ws: Workspace, shown: str, hashes: dict[str, str] | None) -> Source:
    _check_hash(ws, shown, hashes)
    return read_source(ws.path_of(shown), shown)


def _index(src: Source, key: str, card_id: str) -> int:
    items = src.plain.get(key) if isinstance(src.plain, dict) else None
    for i, item in enumerate(items or []):
        if isinstance(item, dict) and item.get("id") == card_id:
            return i
    raise Refused(f"card '{card_id}' is no longer in {src.shown}; reload the page", "gone")


def _order(ws: Workspace, entry: Entry) -> list[str]:
    ctype = ws.types.get(entry.type)
    return ["id", "type", "count"] + (list(ctype.fields) if ctype else []) + ["tags"]


def _before(order: list[str], name: str) -> list[str]:
    return order[: order.index(name)] if name in order else order


def hashes_for(ws: Workspace, entry: Entry | None) -> dict[str, str]:
    """The digests of the files a save of ``entry`` (or of the variables) would change."""
    files = []
    if ws.region is not None:
        files.append(ws.shown(ws.overlay_path()))
    elif entry is not None:
        files.append(entry.source)
    else:
        files.append("cards/game.yaml")
    return {shown: file_digest(ws.path_of(shown)) or "" for shown in files}


# -- saving a card ------------------------------------------------------------------------------------------

def save_card(ws: Workspace, card_id: str, values: dict[str, Any], hashes: dict[str, str] | None) -> drafts.Draft:
    """Write the form's values; returns the draft, whose problems (if any) mean nothing was written."""
    entry = ws.entries.get(card_id)
    if entry is None:
        raise Refused(f"there is no card '{card_id}' any more; reload the page", "gone")
    draft = drafts.check(ws, entry, values, render=True)
    if not draft.ok:
        return draft
    new, old = draft.values, entry.raw.data
    names = [n for n in _order(ws, entry) if n not in ("id", "type") and new.get(n) != old.get(n)]
    if not names:
        return draft
    if ws.region is None or entry.added_by_region:
        key = "add" if entry.added_by_region else "cards"
        src = _open(ws, entry.source, hashes)
        at = ("cards" if key == "cards" else "add", _index(src, key, card_id))
        ed = Editor(src)
        order = _order(ws, entry)
        for name in names:
            if name in new:
                ed.set(at + (name,), new[name], after=_before(order, name))
            elif name in src.plain[at[0]][at[1]]:
                ed.delete(at + (name,))
        write(src, ed.result())
    else:
        _save_to_overlay(ws, entry, names, new, hashes)
    ws.reload()
    return draft


def _save_to_overlay(ws: Workspace, entry: Entry, names: list[str], new: dict, hashes) -> None:
    shown = ws.shown(ws.overlay_path())
    src = _open(ws, shown, hashes)
    ed = Editor(src)
    plain = src.plain if isinstance(src.plain, dict) else {}
    for name in names:
        value = new.get(name)
        base = ws.base_value(entry.id, name)
        if name == "count":
            counts = plain.get("counts") or {}
            if value in (None, base if base is not None else 1):
                if entry.id in counts:
                    ed.delete(("counts", entry.id))
            else:
                ed.set_path(("counts", entry.id), value)
            continue
        change = (plain.get("change") or {}).get(entry.id) or {}
        if value == base:  # back to the base value: the overlay need not say anything
            if name in change:
                if len(change) == 1:
                    ed.delete(("change", entry.id))
                else:
                    ed.delete(("change", entry.id, name))
            continue
        ed.set_path(("change", entry.id, name), value, after=_before(_order(ws, entry), name))
    write(src, ed.result())


# -- new, copy, delete --------------------------------------------------------------------------------------

def _free_id(ws: Workspace, wanted: str) -> str:
    if not SLUG.match(wanted):
        raise Refused(f"'{wanted}' cannot be an id: use lowercase letters, digits and '-' (like 'bibliotheek-west')",
                      "bad_id")
    taken = set(ws.entries) | set(ws.base_raw)
    if wanted in taken:
        raise Refused(f"the id '{wanted}' is already used; choose another", "id_taken")
    return wanted


def new_card(ws: Workspace, type_id: str, card_id: str | None, hashes=None) -> str:
    """A card from its type's scaffold (as `kot new card` makes it); returns its id."""
    from kaartenoptafel.commands.new import add_card, placeholder

    if type_id not in ws.types:
        raise Refused(f"there is no card type '{type_id}'", "gone")
    if card_id:
        _free_id(ws, card_id)
    if ws.region is None:
        plan, card_id, _, _ = add_card(ws.root, type_id, card_id or None, dry_run=True)
        new_text = plan.old[: plan.index] + plan.insert + plan.old[plan.index:]
        old_raw = plan.path.read_bytes() if plan.path.exists() else b""
        _check_hash(ws, plan.shown, hashes)
        write_bytes(plan.path, plan.shown, old_raw, new_text.encode("utf-8"))  # add_card checked it reads back
    else:
        n = len([e for e in ws.entries.values() if e.type == type_id]) + 1
        while card_id is None or card_id in ws.entries or card_id in ws.base_raw:
            card_id = f"{type_id}-{n}"
            n += 1
        ctype = ws.types[type_id]
        data = {"id": card_id, "type": type_id}
        for name, spec in ctype.fields.items():
            value = placeholder(spec, None)
            if value is not None:
                data[name] = value
        _append_to_overlay(ws, data, hashes)
    ws.reload()
    return card_id


def _append_to_overlay(ws: Workspace, data: dict, hashes) -> None:
    shown = ws.shown(ws.overlay_path())
    src = _open(ws, shown, hashes)
    ed = Editor(src)
    ed.append_path(("add",), data, blank_line=True)
    write(src, ed.result())


def copy_card(ws: Workspace, card_id: str, new_id: str, hashes=None) -> str:
    entry = ws.entries.get(card_id)
    if entry is None:
        raise Refused(f"there is no card '{card_id}' any more; reload the page", "gone")
    new_id = _free_id(ws, new_id)
    data = {"id": new_id}
    data.update({k: v for k, v in entry.raw.data.items() if k != "id"})
    if ws.region is None:
        src = _open(ws, entry.source, hashes)
        ed = Editor(src)
        cards = src.plain.get("cards") or []
        spaced = "\n\n  - " in src.text or "\n\n- " in src.text
        ed.append(("cards",), data, blank_line=spaced and bool(cards))
        write(src, ed.result())
    else:
        _append_to_overlay(ws, data, hashes)
    ws.reload()
    return new_id


def delete_card(ws: Workspace, card_id: str, hashes=None) -> None:
    entry = ws.entries.get(card_id)
    if entry is None:
        raise Refused(f"there is no card '{card_id}' any more; reload the page", "gone")
    refs = ws.references_to(card_id)
    if refs:
        raise Refused(f"card '{card_id}' cannot be deleted: " + ", ".join(refs) + " refers to it; change that first",
                      "referenced")
    if ws.region is None or entry.added_by_region:
        key = "add" if entry.added_by_region else "cards"
        src = _open(ws, entry.source, hashes)
        ed = Editor(src)
        ed.delete((key, _index(src, key, card_id)))
        write(src, ed.result())
    else:
        shown = ws.shown(ws.overlay_path())
        src = _open(ws, shown, hashes)
        ed = Editor(src)
        plain = src.plain if isinstance(src.plain, dict) else {}
        for key in ("change", "counts"):  # an overlay may not change a card it removes
            if isinstance(plain.get(key), dict) and card_id in plain[key]:
                ed.delete((key, card_id))
        removed = plain.get("remove")
        if isinstance(removed, str):
            ed.set(("remove",), [removed, card_id])
        else:
            ed.append_path(("remove",), card_id)
        write(src, ed.result())
    ws.reload()


# -- variables ------------------------------------------------------------------------------------------

def base_variables(ws: Workspace) -> dict[str, str]:
    from kaartenoptafel.errors import Collector
    from kaartenoptafel.load.game import parse_game
    from kaartenoptafel.load.kit import read_sources

    src = read_sources(ws.root, Collector())
    game = parse_game(src.game, Collector()) if src.game is not None else None
    return dict(game.variables) if game else {}


def save_variables(ws: Workspace, values: dict[str, str], hashes=None) -> None:
    """Set variables: in the region's overlay (a value equal to the base's is removed), else in game.yaml."""
    base = base_variables(ws)
    shown = ws.shown(ws.overlay_path()) if ws.region else "cards/game.yaml"
    src = _open(ws, shown, hashes)
    ed = Editor(src)
    own = (src.plain or {}).get("variables") or {}
    changed = False
    for name, value in values.items():
        if name not in base and name not in own:
            continue
        value = str(value)
        if ws.region is not None and value == base.get(name):
            if name in own:
                ed.delete(("variables", name))
                changed = True
            continue
        if own.get(name) != value:
            ed.set_path(("variables", name), value)
            changed = True
    if changed:
        write(src, ed.result())
        ws.reload()


def project_path(ws: Workspace, rel: str) -> Path:
    return ws.root / rel
