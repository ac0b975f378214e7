"""The shape of every YAML file of a kit, declared once per file kind.

Each kind is a :class:`~kaartenoptafel.schema.nodes.Node` tree (types, ranges, choices, required keys,
descriptions, examples). It gives ``kot schema --kind K`` its JSON Schema, and the loaders of the kinds converted
so far (game.yaml, types.yaml, the guide, the table card, the board's texts, layouts/board.yaml and the card
layouts, and the top-level and ``game:`` keys of region overlays) take their key, type and lowest-number (or range) checks from it (:mod:`kaartenoptafel.schema.check`), with the same located messages as
before. The other kinds are declared for the schema and the tests; their loaders still spell out their checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaartenoptafel.schema import board, game, guide, labels, layout, overlay, tablecard, types
from kaartenoptafel.schema.nodes import Mapping, document


@dataclass(frozen=True)
class Kind:
    name: str
    about: str
    files: tuple[str, ...]  # the files of the default kit it describes (globs, relative to the project)
    node: Mapping | None  # None: made from the kit (the card files, whose fields types.yaml declares)

    def schema(self, kit=None) -> dict:
        if self.node is None:
            from kaartenoptafel.load.jsonschema import card_schema

            return card_schema(kit)
        return document(f"{self.files[0]}: {self.about}", self.node, self.node.description)


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("cards", "the card files (the fields come from cards/types.yaml)",
         ("cards/rollen.yaml", "cards/situaties.yaml", "cards/gebeurtenissen.yaml", "cards/vragen.yaml",
          "cards/afspraken.yaml", "cards/routekaarten.yaml", "cards/fiches.yaml"), None),
    Kind("game", "the game: title, language, tables, duration, variables, groups", ("cards/game.yaml",), game.GAME),
    Kind("types", "the card types and their fields", ("cards/types.yaml",), types.TYPES),
    Kind("guide", "the facilitator guide", ("cards/gids.yaml",), guide.FILE),
    Kind("table-card", "the table card", ("cards/tafel.yaml",), tablecard.FILE),
    Kind("labels", "the texts the products print around the content", ("cards/labels.yaml",), labels.FILE),
    Kind("board", "the board's and the worksheets' texts", ("cards/board.yaml",), board.BOARD_FILE),
    Kind("overlay", "a region or language overlay", ("cards/regions/*.yaml",), overlay.OVERLAY),
    Kind("layout", "a card layout (default.yaml) or a region layout that extends it",
         ("layouts/default.yaml", "layouts/drenthe.yaml", "layouts/hoeksche-waard.yaml",
          "layouts/midden-brabant.yaml", "layouts/rivierenland.yaml"), layout.LAYOUT),
    Kind("board-layout", "the board's and the worksheets' geometry, colours and font sizes",
         ("layouts/board.yaml",), board.BOARD_LAYOUT),
)}
