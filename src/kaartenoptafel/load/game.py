"""cards/game.yaml: the title, language, players, tables, duration, variables and role groups of the game.

Its keys, types and lowest numbers come from the declaration in :mod:`kaartenoptafel.schema.game`; the highest
numbers catch typos (750 tables for 75) that would print as they are in the guide and the print plan.
"""

from __future__ import annotations

from kaartenoptafel.errors import Collector
from kaartenoptafel.load.checks import SLUG, expand_variables
from kaartenoptafel.load.model import Game
from kaartenoptafel.load.yamlfile import Doc
from kaartenoptafel.schema.check import check_value, unknown_keys
from kaartenoptafel.schema.game import GAME, PLAYERS

MAX_PLAYERS = PLAYERS.options[1].fields["max"].node.maximum  # at one table
GAME_LIMITS = {"tables": "a session has at most {n} tables", "duration": "a game lasts at most {n} minutes (a day)"}


def parse_game(doc: Doc, out: Collector) -> Game | None:
    data = doc.data
    if not isinstance(data, dict):
        out.error(doc.pos(), "game.yaml must be a mapping with title, subtitle, language, ... (see the README)")
        return None
    unknown_keys(out, GAME, data, lambda k: doc.key_pos(k))
    for key in GAME.required:
        if key not in data:
            out.error(doc.pos(), f"game.yaml is missing '{key}'")

    def text(key, default=""):
        value = data.get(key, default)
        return str(value) if check_value(out, GAME.fields[key], value, doc.pos(key)) else default

    def number(key, default):
        value = data.get(key, default)
        if not check_value(out, GAME.fields[key], value, doc.pos(key)):
            return default
        highest = GAME.fields[key].node.maximum
        if value > highest:  # a typo (750 for 75) printed as is in the guide and the print plan
            out.error(doc.pos(key), f"'{key}' is {value}; " + GAME_LIMITS[key].format(n=highest))
            return default
        return value

    players = data.get("players_per_table", {"min": 4, "max": 6})
    pmin, pmax = 4, 6
    if isinstance(players, int) and not isinstance(players, bool) and players > 0:
        pmin = pmax = players
    elif isinstance(players, dict):
        unknown_keys(out, PLAYERS.options[1], players, lambda k: doc.key_pos("players_per_table", k))
        pmin, pmax = players.get("min", 4), players.get("max", 6)
        for name, value in (("min", pmin), ("max", pmax)):
            if not (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= MAX_PLAYERS):
                out.error(doc.pos("players_per_table", name),
                          f"players_per_table {name} must be a whole number from 1 to {MAX_PLAYERS}")
                pmin, pmax = 4, 6
        if pmin > pmax:
            out.error(doc.pos("players_per_table"), f"players_per_table: min ({pmin}) is larger than max ({pmax})")
    else:
        out.error(doc.pos("players_per_table"), "players_per_table must be a number or {min: N, max: N}")

    raw_variables = _string_map(out, doc, data, "variables")
    variable_pos = {name: doc.pos("variables", name) for name in raw_variables}
    variables = expand_variables(raw_variables, lambda name: variable_pos[name], out)
    groups = _string_map(out, doc, data, "groups")
    for gid in groups:
        if not SLUG.match(str(gid)):
            out.error(doc.key_pos("groups", gid), f"group id '{gid}' must be lowercase letters, digits and '-'")
    return Game(
        title=text("title", "Kaarten op Tafel"),
        subtitle=text("subtitle"),
        language=text("language", "nl"),
        players_min=pmin,
        players_max=pmax,
        tables=number("tables", 1),
        duration=number("duration", 75),
        variables=variables,
        groups=groups,
        pos=doc.pos(),
        raw_variables=raw_variables,
        variable_pos=variable_pos,
        group_pos={gid: doc.pos("groups", gid) for gid in groups},
    )


def _string_map(out: Collector, doc: Doc, data: dict, key: str) -> dict[str, str]:
    value = data.get(key, {})
    if value is None:
        return {}
    if not check_value(out, GAME.fields[key], value, doc.pos(key)):
        return {}
    result = {}
    for name, item in value.items():
        if check_value(out, GAME.fields[key].node.extra, item, doc.pos(key, name), name=name):
            result[str(name)] = str(item)
    return result


# -- types.yaml --------------------------------------------------------------------------------
