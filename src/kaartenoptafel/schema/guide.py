"""cards/gids.yaml: the facilitator guide (``guide:``): intro, rounds with their minutes, debrief, ..."""

from __future__ import annotations

from kaartenoptafel.schema.common import items, paragraphs
from kaartenoptafel.schema.nodes import AnyOf, Choice, Field, Int, ListOf, Mapping, Text

ROUND = Mapping(
    "a round: its title and minutes, the goal, what to say and the steps",
    ({"title": "Kennismaken", "minutes": 10, "steps": ["Ieder kiest een rol."]},),
    what="round {n}",
    fields={
        "title": Field(Text("the round's title", min_length=1), required=True, what="the title of round {n}"),
        "minutes": Field(Int("how long the round takes; the rounds add up to the game's duration", (15,), minimum=1),
                         required=True, what="the minutes of round {n}",
                         too_low="round {n} ('{title}') must take at least {minimum} minute, not {value}"),
        "goal": Field(paragraphs("what the round is for"), what="the goal of round {n}"),
        "say": Field(paragraphs("what the facilitator says"), what="'say' of round {n}"),
        "steps": Field(items("what happens, step by step"), what="the steps of round {n}"),
    },
)


def _cards(description: str, names: tuple[str, ...], what: str) -> Mapping:
    return Mapping(description, what=what, nullable=True,
                   fields={name: Field(Text(f"the {name.replace('_', ' ')}", numbers=True), what=f"{what[:-1]}.{name}'")
                           for name in names})


COPIES = Field(Int("copies per table", minimum=1), what="copies of '{kind}' (a number, or 'pairs')",
               too_low="copies of '{kind}' must be at least {minimum} (per table), not {value}")

EXAMPLE = Mapping(
    "a worked example after the rounds: one resident, the four steps, one agreement", what="'example'", nullable=True,
    fields={
        "title": Field(Text("the example's title", min_length=1), required=True, what="the title of the example"),
        "text": Field(paragraphs("the story"), what="'example.text'"),
        "steps": Field(items("the steps played"), what="'example.steps'"),
    },
)

GUIDE = Mapping(
    "the facilitator guide", what="'guide'",
    fields={
        "intro": Field(paragraphs("the introduction"), what="'intro'"),
        "goal": Field(paragraphs("what the session is for"), what="'goal'"),
        "audience": Field(paragraphs("who it is for"), what="'audience'"),
        "preparation": Field(items("what to prepare"), what="'preparation'"),
        "rounds": Field(ListOf("the rounds, in order", item=ROUND, min_items=1), required=True, what="'rounds'"),
        "tips": Field(items("tips for the facilitator"), what="'tips'"),
        "debrief": Field(paragraphs("the debrief"), what="'debrief'"),
        "questions": Field(_cards("which cards (and fields) the debrief's questions come from",
                                  ("type", "title", "question", "follow_up"), "'questions'"), what="'questions'"),
        "partners": Field(_cards("which cards (and fields) the region page's partners come from",
                                 ("type", "name", "group"), "'partners'"), what="'partners'"),
        "copies": Field(Mapping("copies per table of each material: a number, or 'pairs' (one per pair of players)",
                                ({"werkblad": 2, "afspraak": "pairs"},), nullable=True,
                                extra=AnyOf(options=(COPIES.node, Choice(choices=("pairs",))))), what="'copies'"),
        "example": Field(EXAMPLE, what="'example'"),
    },
)

FILE = Mapping("a file of cards/ with the facilitator guide", fields={"guide": Field(GUIDE, required=True)})
