"""Two chapters of the facilitator guide that tell how the game is played: the rules and a worked example.

The rules are not written twice: the chapter prints the table card's ``rules`` and ``success`` (cards/tafel.yaml),
the same text the players read at the table, so guide and table card cannot contradict each other. The worked
example (``example:`` in cards/gids.yaml: title, text, steps) shows one whole route, so a facilitator who never
played sees what a good round looks like. Both chapters are left out when their text is missing.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph

from kaartenoptafel.errors import Collector
from kaartenoptafel.load.tablecard import parse_table_card


def rules(story) -> None:
    """Chapter "De spelregels": the table card's rules, then its success checklist."""
    kit = story.kit
    section = kit.sections.get("table_card")
    if section is None:
        return
    out = Collector()
    card = parse_table_card(section, kit.game, out)  # already checked at load time; problems are reported there
    if not card.rules and not card.success:
        return
    story.chapter(story.L("guide_rules"))
    story.paras([story.L("guide_rules_intro")])
    story.bullets(card.rules)
    if card.success:
        story.section(story.L("guide_rules_success"))
        story.bullets(card.success)


def example(story) -> None:
    """Chapter with the worked example: its paragraphs, then its steps numbered."""
    ex = story.guide.example
    if ex is None:
        return
    story.chapter(story.text(ex.title))
    story.paras(ex.text)
    for i, step in enumerate(ex.steps, start=1):
        story.flow.append(Paragraph(story.text(step), story.st.number, bulletText=f"{i}."))
