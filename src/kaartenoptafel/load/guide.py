"""The facilitator guide's content (``guide:`` in cards/gids.yaml), checked and turned into plain data.

Checked at load time, so ``kot validate`` reports a bad guide, including rounds whose minutes do not add
up to the game's ``duration``, at the file, line and column of the mistake.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kaartenoptafel.errors import Collector, Pos, did_you_mean, one_of
from kaartenoptafel.load.checks import expect, filled_length, walk_strings
from kaartenoptafel.load.model import CardType, Game, Section
from kaartenoptafel.schema.check import check_value, unknown_keys
from kaartenoptafel.schema.guide import COPIES, EXAMPLE, GUIDE, ROUND
# Which cards the debrief and the region page read, and which of their fields (overridable under guide:).
QUESTION_DEFAULTS = {"type": "vraag", "title": "titel", "question": "vraag", "follow_up": "doorvraag"}
PARTNER_DEFAULTS = {"type": "rol", "name": "titel", "group": "groep"}


@dataclass(frozen=True)
class Round:
    title: str
    minutes: int
    goal: tuple[str, ...] = ()  # paragraphs
    say: tuple[str, ...] = ()
    steps: tuple[str, ...] = ()
    pos: Pos | None = None


@dataclass(frozen=True)
class Example:
    """A worked example after the round scripts, so a new facilitator sees one whole route played."""

    title: str
    text: tuple[str, ...] = ()  # paragraphs
    steps: tuple[str, ...] = ()


@dataclass(frozen=True)
class Guide:
    """Texts still hold ``{variables}``; the guide product fills them in."""

    intro: tuple[str, ...] = ()
    goal: tuple[str, ...] = ()
    audience: tuple[str, ...] = ()
    preparation: tuple[str, ...] = ()
    rounds: tuple[Round, ...] = ()
    tips: tuple[str, ...] = ()
    debrief: tuple[str, ...] = ()
    questions: dict[str, str] = field(default_factory=lambda: dict(QUESTION_DEFAULTS))
    partners: dict[str, str] = field(default_factory=lambda: dict(PARTNER_DEFAULTS))
    copies: dict[str, int | str] = field(default_factory=dict)  # kind -> copies per table (a number or 'pairs')
    example: Example | None = None  # a worked example: one resident, the four steps, one agreement

    @property
    def minutes(self) -> int:
        return sum(r.minutes for r in self.rounds)


def read_paragraphs(out: Collector, value, pos: Pos, what: str) -> tuple[str, ...]:
    """A text (blank lines separate paragraphs) or a list of texts."""
    if value is None:
        return ()
    if isinstance(value, list):
        items = []
        for item in value:
            if expect(out, item, str, pos, f"each item of {what}"):
                items.append(str(item).strip())
        return tuple(i for i in items if i)
    if not expect(out, value, str, pos, what):
        return ()
    # Lines inside a paragraph flow together (as in Markdown), so a folded YAML block reads as one paragraph.
    return tuple(" ".join(p.split()) for p in str(value).split("\n\n") if p.strip())


def read_items(out: Collector, doc, key: tuple, value, what: str) -> tuple[str, ...]:
    """A list of texts (a single text counts as a list of one)."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not expect(out, value, list, doc.pos(*key), what):
        return ()
    items = []
    for i, item in enumerate(value):
        if expect(out, item, str, doc.pos(*key, i), f"item {i + 1} of {what}"):
            items.append(str(item).strip())
    return tuple(items)


def _mapping(out: Collector, doc, key: tuple, value, defaults: dict[str, str], types: dict[str, CardType]) -> dict:
    """A {type, field...} mapping naming which cards (and fields) a part of the guide reads."""
    result = dict(defaults)
    if value is None:
        return result
    field = GUIDE.fields[key[-1]]
    if not check_value(out, field, value, doc.pos(*key)):
        return result
    unknown_keys(out, field.node, value, lambda k: doc.key_pos(*key, k))
    for name in defaults:
        if name in value and check_value(out, field.node.fields[name], value[name], doc.pos(*key, name)):
            result[name] = str(value[name])
    tid = result["type"]
    if types and tid not in types:
        out.error(doc.pos(*key, "type") if "type" in value else doc.pos(*key),
                  f"'{key[-1]}': unknown card type '{tid}'{did_you_mean(tid, types)}; expected one of {one_of(types)}")
    elif types:
        for name, fname in result.items():
            if name != "type" and fname not in types[tid].fields and name in value:
                out.error(doc.pos(*key, name), f"'{key[-1]}.{name}': type '{tid}' has no field '{fname}'"
                                               f"{did_you_mean(fname, types[tid].fields)}")
    return result


def parse_guide(section: Section, game: Game, types: dict[str, CardType], out: Collector) -> Guide:
    """The guide section as plain data; every problem goes to ``out`` with its position."""
    doc, base = section.doc, tuple(section.key)
    data = section.data
    if not isinstance(data, dict):
        out.error(doc.pos(*base), "'guide' must be a mapping with intro, goal, audience, preparation, rounds, tips "
                                  "and debrief")
        return Guide()
    unknown_keys(out, GUIDE, data, lambda k: doc.key_pos(*base, k))

    def text(key):
        return read_paragraphs(out, data.get(key), doc.pos(*base, key), GUIDE.fields[key].what)

    def items(key):
        return read_items(out, doc, base + (key,), data.get(key), GUIDE.fields[key].what)

    rounds = _rounds(out, doc, base + ("rounds",), data.get("rounds"))
    copies: dict[str, int | str] = {}
    raw_copies = data.get("copies")
    if raw_copies is not None and check_value(out, GUIDE.fields["copies"], raw_copies, doc.pos(*base, "copies")):
        for kind, n in raw_copies.items():
            where = doc.pos(*base, "copies", kind)
            if n == "pairs":  # one per pair of players at the largest table (a trio shares one)
                copies[str(kind)] = "pairs"
            elif check_value(out, COPIES, n, where, kind=kind):
                copies[str(kind)] = n
    guide = Guide(
        intro=text("intro"), goal=text("goal"), audience=text("audience"), preparation=items("preparation"),
        rounds=rounds, tips=items("tips"), debrief=text("debrief"),
        questions=_mapping(out, doc, base + ("questions",), data.get("questions"), QUESTION_DEFAULTS, types),
        partners=_mapping(out, doc, base + ("partners",), data.get("partners"), PARTNER_DEFAULTS, types),
        copies=copies, example=_example(out, doc, base + ("example",), data.get("example")),
    )
    if rounds and all(r.minutes > 0 for r in rounds) and guide.minutes != game.duration:
        listing = " + ".join(str(r.minutes) for r in rounds)
        out.error(doc.key_pos(*base, "rounds"),
                  f"the rounds take {listing} = {guide.minutes} minutes, but the game lasts {game.duration} minutes "
                  f"('duration' in cards/game.yaml); make the minutes add up to {game.duration} "
                  f"({'remove' if guide.minutes > game.duration else 'add'} "
                  f"{abs(guide.minutes - game.duration)})")
    return guide


def _example(out: Collector, doc, key: tuple, value) -> Example | None:
    if value is None:
        return None
    if not check_value(out, GUIDE.fields["example"], value, doc.pos(*key)):
        return None
    unknown_keys(out, EXAMPLE, value, lambda k: doc.key_pos(*key, k))
    title = value.get("title")
    if not title:
        out.error(doc.pos(*key), "'example' needs a 'title'")
        return None
    if not check_value(out, EXAMPLE.fields["title"], title, doc.pos(*key, "title")):
        return None
    f = EXAMPLE.fields
    return Example(title=str(title), text=read_paragraphs(out, value.get("text"), doc.pos(*key, "text"), f["text"].what),
                   steps=read_items(out, doc, key + ("steps",), value.get("steps"), f["steps"].what))


def _rounds(out: Collector, doc, key: tuple, value) -> tuple[Round, ...]:
    if value is None or value == []:
        out.error(doc.pos(*key[:-1]), "'guide' needs 'rounds': a list of rounds, each with title and minutes")
        return ()
    if not check_value(out, GUIDE.fields["rounds"], value, doc.pos(*key)):
        return ()
    rounds = []
    f = ROUND.fields
    for i, entry in enumerate(value):
        where = key + (i,)
        if not isinstance(entry, dict):
            out.error(doc.pos(*where), f"round {i + 1} must be a mapping with title, minutes, goal, say and steps")
            continue
        unknown_keys(out, ROUND, entry, lambda k, w=where: doc.key_pos(*w, k), n=i + 1)
        title = entry.get("title")
        if title is None or title == "":
            out.error(doc.pos(*where), f"round {i + 1} has no 'title'")
            title = ""
        elif not check_value(out, f["title"], title, doc.pos(*where, "title"), n=i + 1):
            title = ""
        minutes = entry.get("minutes")
        if minutes is None:
            out.error(doc.pos(*where), f"round {i + 1} ('{title}') has no 'minutes'")
            minutes = 0
        elif not check_value(out, f["minutes"], minutes, doc.pos(*where, "minutes"), n=i + 1, title=title):
            minutes = 0
        rounds.append(Round(
            title=str(title),
            minutes=minutes,
            goal=read_paragraphs(out, entry.get("goal"), doc.pos(*where, "goal"), f["goal"].what.format(n=i + 1)),
            say=read_paragraphs(out, entry.get("say"), doc.pos(*where, "say"), f["say"].what.format(n=i + 1)),
            steps=read_items(out, doc, where + ("steps",), entry.get("steps"), f["steps"].what.format(n=i + 1)),
            pos=doc.pos(*where),
        ))
    return tuple(rounds)


# reportlab re-wraps what is left of a paragraph at every page break, so laying one out takes time that grows with
# the square of its length (600 KB took minutes). A paragraph of the guide is at most this long, variables
# filled in; 20,000 characters is six A5 pages of unbroken text, and takes under a second.
MAX_PARAGRAPH_CHARS = 20_000


def check_paragraphs(section: Section, variables: dict[str, str], out: Collector) -> None:
    """Every text of ``section`` in paragraphs (blank lines separate them) of at most MAX_PARAGRAPH_CHARS."""
    lengths = {k: len(v) for k, v in variables.items()}
    for key, text in walk_strings(section.data):
        if len(text) <= MAX_PARAGRAPH_CHARS and "{" not in text:
            continue
        longest = max((filled_length(p, lengths) for p in text.split("\n\n")), default=0)
        if longest > MAX_PARAGRAPH_CHARS:
            out.error(section.doc.pos(*section.key, *key),
                      f"a paragraph of {longest:,} characters; the limit is {MAX_PARAGRAPH_CHARS:,} "
                      "(split it with blank lines)")


def check_guide(sections: dict[str, Section], game: Game, types: dict[str, CardType], out: Collector) -> None:
    """Load-time hook: report every problem of the guide section (when the kit has one)."""
    if "guide" in sections and game is not None:
        check_paragraphs(sections["guide"], game.variables, out)
        parse_guide(sections["guide"], game, types, out)
