"""Text exports: Anki TSV, Markdown study sheet, JSON and CSV.

Each function takes the already selected :class:`~studyapp.export.records.ExportCard` list and
returns the whole file as a string; writing (atomically, with a backup) is the caller's job.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Sequence
from html.parser import HTMLParser

from studyapp.export.records import BASIC, BASIC_REVERSED, CLOZE, TOPICS, ExportCard, plan_notes

# --------------------------------------------------------------------------- Anki TSV

#: Anki's stock note types (present in every collection), so a TSV imports without the .apkg.
TSV_NOTETYPES = {BASIC: "Basic", BASIC_REVERSED: "Basic (and reversed card)", CLOZE: "Cloze"}
TSV_COLUMNS = ("notetype", "deck", "Front / Text", "Back / Back Extra", "tags", "guid")


def _tsv_field(value: str) -> str:
    """Anki reads one note per line: newlines become ``<br>`` (the file is ``#html:true``)."""
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>").replace("\t", " ")


def to_anki_tsv(cards: Sequence[ExportCard]) -> str:
    """Anki "Notes in Plain Text" with file headers, so Anki needs no import settings.

    Columns: 1 note type, 2 deck, 3 Front (Text for cloze), 4 Back (Back Extra), 5 tags, 6 guid.
    The GUID is last on purpose: GUIDs may begin with ``#``, and a line beginning with ``#`` is a
    header/comment to Anki. Fields are quoted CSV-style only when they contain a quote or a
    separator, as Anki's importer expects.
    """
    out = io.StringIO()
    out.write("#separator:tab\n")
    out.write("#html:true\n")
    out.write("#notetype column:1\n")
    out.write("#deck column:2\n")
    out.write("#tags column:5\n")
    out.write("#guid column:6\n")
    writer = csv.writer(out, delimiter="\t", quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    # Stock note types cannot carry a content pair's separate reverse wording, so pairs stay two
    # Basic notes here; a mirrored card uses "Basic (and reversed card)".
    for plan in plan_notes(cards, merge_pairs=False):
        card = plan.card
        if plan.kind == CLOZE:
            first, second = card.cloze or "", card.cloze_extra
        else:
            first, second = card.front_html, card.back_html
        writer.writerow(
            [
                TSV_NOTETYPES[plan.kind],
                card.deck,
                _tsv_field(first),
                _tsv_field(second),
                " ".join(card.tags),
                card.guid,
            ]
        )
    return out.getvalue()


def read_anki_tsv(text: str) -> tuple[dict[str, str], list[list[str]]]:
    """Parse a TSV written by :func:`to_anki_tsv`: (headers, rows). Used by tests and tools."""
    headers: dict[str, str] = {}
    body: list[str] = []
    for line in text.splitlines(keepends=True):
        if not body and line.startswith("#"):
            name, _, value = line[1:].rstrip("\n").partition(":")
            headers[name] = value
        else:
            body.append(line)
    rows = list(csv.reader(io.StringIO("".join(body)), delimiter="\t"))
    return headers, rows


# --------------------------------------------------------------------------- JSON / CSV


def to_json(cards: Sequence[ExportCard]) -> str:
    """The contract: ``{"schema": 1, "cards": [{"id", "guid", "deck", "front", "back", "tags", "source", …}]}``."""
    doc = {"schema": 1, "cards": [card.to_dict() for card in cards]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("id", "guid", "topic", "deck", "note_type", "front", "back", "tags", "source")


def to_csv(cards: Sequence[ExportCard]) -> str:
    """RFC 4180 CSV with a header row; ``front``/``back`` are the unicode texts, tags space-separated."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for card in cards:
        writer.writerow(
            [
                card.id,
                card.guid,
                card.topic,
                card.deck,
                card.note_kind,
                card.front,
                card.back,
                " ".join(card.tags),
                card.source,
            ]
        )
    return out.getvalue()


# --------------------------------------------------------------------------- Markdown


class _HtmlToMarkdown(HTMLParser):
    """Card HTML -> Markdown: emphasis, lists, line breaks and code survive; other tags go.

    Character references are decoded by HTMLParser (``convert_charrefs``), so ``&lt;`` inside a
    formula comes out as ``<``.
    """

    _INLINE = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._pending: list[str] = []
        self._list_depth = 0

    def handle_starttag(self, tag, attrs):
        self.flush()
        if tag in self._INLINE:
            self.parts.append(self._INLINE[tag])
        elif tag == "br":
            self.parts.append("\n")
        elif tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self._list_depth += 1
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n" + "  " * (self._list_depth - 1) + "- ")
        elif tag == "span" and ("class", "cloze") in attrs:
            self.parts.append("**")

    def handle_endtag(self, tag):
        self.flush()
        if tag in self._INLINE:
            self.parts.append(self._INLINE[tag])
        elif tag in ("p", "div"):
            self.parts.append("\n\n")
        elif tag in ("ul", "ol"):
            self._list_depth = max(0, self._list_depth - 1)
            self.parts.append("\n")

    def handle_data(self, data):
        # HTMLParser may cut one text run into several calls (at a bare "<"); collect the run and
        # convert it whole at the next tag, so a formula is never split.
        self._pending.append(data)

    def flush(self) -> None:
        data = "".join(self._pending)
        self._pending.clear()
        for i, piece in enumerate(_MATH_ANY.split(data)):
            if i % 2:  # a captured formula: keep LaTeX verbatim, switch to $ delimiters
                body = piece[2:-2].strip()
                self.parts.append(f"$${body}$$" if piece.startswith("\\[") else f"${body}$")
            else:
                # Outside formulas, characters Markdown would read as markup are escaped:
                # "$" would open a formula, "*" and "_" emphasis (e.g. "sigma(z)*(1 - sigma(z))").
                self.parts.append(_MD_SPECIAL.sub(r"\\\g<0>", piece))

    def close(self) -> None:
        super().close()
        self.flush()


_MD_SPECIAL = re.compile(r"[$*_\\]")
_MATH_ANY = re.compile(r"(\\\(.+?\\\)|\\\[.+?\\\])", re.S)
_CLOZE = re.compile(r"\{\{c\d+::(.*?)(?:::(.*?))?\}\}", re.S)


def html_to_markdown(fragment: str) -> str:
    """Card HTML with MathJax delimiters -> Markdown with ``$…$`` / ``$$…$$`` formulas."""
    parser = _HtmlToMarkdown()
    parser.feed(fragment)
    parser.close()
    text = "".join(parser.parts)
    text = text.replace("\t", " ")
    text = re.sub(r"[ \t]+\n", "\n", text)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def cloze_question(cloze: str) -> str:
    """Anki cloze text with every deletion blanked: ``{{c1::σ(z)::function}}`` -> ``[… function]``."""
    return _CLOZE.sub(lambda m: f"[… {m.group(2)}]" if m.group(2) else "[…]", cloze)


def cloze_answer(cloze: str) -> str:
    """Anki cloze text with every deletion filled in and emphasised."""
    return _CLOZE.sub(lambda m: f"<b>{m.group(1)}</b>", cloze)


def _md_lines(text: str, prefix: str) -> str:
    return "\n".join(prefix + line if line else prefix.rstrip() for line in text.splitlines())


def to_markdown(cards: Sequence[ExportCard], title: str = "Deep Learning — study sheet") -> str:
    """A study sheet grouped by topic: each card as a numbered question with its answer quoted."""
    by_topic: dict[str, list[ExportCard]] = {}
    for card in cards:
        by_topic.setdefault(card.topic, []).append(card)
    order = [t for t in TOPICS if t in by_topic] + sorted(t for t in by_topic if t not in TOPICS)

    lines = [f"# {title}", ""]
    lines.append(
        f"{len(cards)} cards in {len(order)} topic{'s' if len(order) != 1 else ''}. "
        "Formulas are written as `$…$` (LaTeX)."
    )
    lines.append("")
    lines.append("## Contents")
    lines.append("")
    for topic in order:
        deck = by_topic[topic][0].deck.split("::")[-1]
        lines.append(f"- [{deck}](#{_anchor(deck)}) ({len(by_topic[topic])})")
    lines.append("")
    for topic in order:
        group = by_topic[topic]
        lines.append(f"## {group[0].deck.split('::')[-1]}")
        lines.append("")
        for number, card in enumerate(group, start=1):
            if card.note_kind == CLOZE and card.cloze:
                question = html_to_markdown(cloze_question(card.cloze))
                answer = html_to_markdown(cloze_answer(card.cloze))
                if card.cloze_extra:
                    answer += "\n\n" + html_to_markdown(card.cloze_extra)
            else:
                question = html_to_markdown(card.front_html)
                answer = html_to_markdown(card.back_html)
            first, _, rest = question.partition("\n")
            lines.append(f"**{number}.** {first}")
            if rest.strip():
                lines.append(rest.strip())
            lines.append("")
            lines.append(_md_lines(answer, "> "))
            lines.append("")
            meta = ", ".join(f"`{t}`" for t in card.tags)
            src = f"source `{card.source}`" if card.source else ""
            lines.append(f"<sub>{' · '.join(x for x in (src, meta) if x)}</sub>")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _anchor(heading: str) -> str:
    """GitHub-style heading anchor (lower case, spaces to dashes, punctuation dropped)."""
    slug = re.sub(r"[^\w\- ]", "", html.unescape(heading).lower())
    return slug.strip().replace(" ", "-")
