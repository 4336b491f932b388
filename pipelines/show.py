"""`pressflow show`: one article with every fact it yielded, marked where it stands in the text.

Pure rendering of a warehouse.evidence.ArticleEvidence: a self-contained HTML page (inline CSS,
no external resources) and rich renderables for the terminal.

Overlapping facts: the text is cut at every fact boundary, and each piece is wrapped in the
marks of the facts covering it, outer (earlier, longer) first. Nested facts become nested
marks; a fact that crosses another's end is closed there and reopened as a second fragment
(same data-fact number), so the markup is always well formed. Marks never cross a paragraph.
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape

from rich.console import Group, RenderableType
from rich.style import Style
from rich.table import Table
from rich.text import Text

from warehouse.evidence import ArticleEvidence, Fact

# kind -> (label, background, border/text accent, terminal colour)
KINDS: dict[str, tuple[str, str, str, str]] = {
    "agency": ("agency 기관", "#cfe0fc", "#2f5fa7", "dodger_blue1"),
    "program": ("programme 사업", "#ffe1a8", "#b86e00", "dark_orange"),
    "target_group": ("target group 대상", "#cdeccd", "#2b7a3a", "green3"),
    "goal": ("goal 목표", "#f9cfe0", "#b0195a", "deep_pink2"),
    "date": ("date 일시", "#e2d8f8", "#5f3dab", "medium_purple1"),
    "person": ("person 인물", "#cdeeee", "#16777a", "dark_cyan"),
}
_OTHER = ("other", "#e6e6e6", "#555555", "grey70")


def kind_style(kind: str) -> tuple[str, str, str, str]:
    return KINDS.get(kind, (kind, *_OTHER[1:]))


def css_class(kind: str) -> str:
    """`fact-KIND`, with anything but letters, digits, '-' and '_' dropped from the kind."""
    return "fact-" + "".join(c for c in kind if c.isascii() and (c.isalnum() or c in "-_"))


# --- cutting the body into pieces -----------------------------------------------------------

@dataclass(frozen=True)
class Piece:
    start: int
    end: int
    covering: tuple[Fact, ...]  # outer first


def _outer_first(fact: Fact) -> tuple[int, int, int]:
    return (fact.start, -fact.end, fact.number)


def shown_facts(body: str, facts: Sequence[Fact]) -> list[Fact]:
    """The facts whose offsets lie inside the body (others are listed, not marked)."""
    return [f for f in facts if 0 <= f.start < f.end <= len(body)]


def paragraphs(body: str) -> list[tuple[int, int]]:
    """(start, end) of each line of the body; a body is stored one paragraph a line."""
    spans, at = [], 0
    for line in body.split("\n"):
        spans.append((at, at + len(line)))
        at += len(line) + 1
    return spans


def pieces(start: int, end: int, facts: Sequence[Fact]) -> list[Piece]:
    """The text between start and end cut at every fact boundary, each piece with the facts
    that cover it."""
    inside = [f for f in facts if f.start < end and f.end > start]
    cuts = sorted({start, end, *(max(start, f.start) for f in inside), *(min(end, f.end) for f in inside)})
    return [Piece(a, b, tuple(sorted((f for f in inside if f.start <= a and f.end >= b), key=_outer_first)))
            for a, b in zip(cuts, cuts[1:], strict=False) if a < b]


# --- HTML -----------------------------------------------------------------------------------

def fact_label(fact: Fact) -> str:
    """kind: canonical form · rule, and what the fact measured (dates, quantities, roles)."""
    label = f"{fact.kind}: {fact.canonical or fact.text}"
    detail = fact_detail(fact)
    if detail:
        label += f" ({detail})"
    return label + f" · rule {fact.rule or 'unknown'}"


def fact_detail(fact: Fact) -> str:
    if fact.date_start or fact.date_end:
        start, end = fact.date_start, fact.date_end
        return str(start) if start == end else f"{start or '…'} – {end or '…'}"
    if fact.quantity is not None:
        quantity = int(fact.quantity) if float(fact.quantity).is_integer() else fact.quantity
        return " ".join(str(p) for p in (f"{quantity:,}" if isinstance(quantity, int) else quantity,
                                         fact.unit, f"of {fact.object}" if fact.object else None) if p)
    if fact.role:
        return fact.role
    return ""


def _open_mark(fact: Fact) -> str:
    return (f'<mark class="{css_class(fact.kind)}" data-fact="{fact.number}" data-kind="{escape(fact.kind)}" '
            f'data-rule="{escape(fact.rule or "")}" title="{escape(fact_label(fact))}">')


def marked_html(body: str, facts: Sequence[Fact]) -> str:
    """The body as paragraphs, each fact a <mark> (nested where facts nest)."""
    facts = shown_facts(body, facts)
    out = []
    for start, end in paragraphs(body):
        if start == end:
            continue
        html, stack = ["<p>"], []
        for piece in pieces(start, end, facts):
            keep = 0
            while keep < min(len(stack), len(piece.covering)) and stack[keep] is piece.covering[keep]:
                keep += 1
            html.extend("</mark>" for _ in stack[keep:])
            stack = stack[:keep]
            for fact in piece.covering[keep:]:
                html.append(_open_mark(fact))
                stack.append(fact)
            html.append(escape(body[piece.start:piece.end]))
        html.extend("</mark>" for _ in stack)
        html.append("</p>")
        out.append("".join(html))
    return "\n".join(out)


_CONTEXT = 90  # characters of a long sentence kept on each side of the fact


def _sentence_html(fact: Fact) -> str:
    """The fact's sentence with the fact's words in bold (their first occurrence). A sentence
    the splitter left very long (a minutes document without full stops) is cut to the words
    around the fact."""
    sentence = fact.sentence or ""
    at = sentence.find(fact.text) if fact.text else -1
    if at < 0:
        return escape(sentence if len(sentence) <= 4 * _CONTEXT else sentence[:2 * _CONTEXT] + "…")
    start, end = max(0, at - _CONTEXT), min(len(sentence), at + len(fact.text) + _CONTEXT)
    if len(sentence) <= 4 * _CONTEXT:
        start, end = 0, len(sentence)
    return (("…" if start else "") + escape(sentence[start:at]) + f'<b class="{css_class(fact.kind)}">'
            + escape(fact.text) + "</b>" + escape(sentence[at + len(fact.text):end]) + ("…" if end < len(sentence) else ""))


@dataclass(frozen=True)
class FactGroup:
    """The mentions of one thing (an agency, a programme …): the first one gives the sentence."""
    name: str
    facts: tuple[Fact, ...]

    @property
    def first(self) -> Fact:
        return self.facts[0]

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.rule or "unknown" for f in self.facts))


def grouped(facts: Sequence[Fact], kind: str, *, by_text: bool = False) -> list[FactGroup]:
    """Mentions of a kind grouped by canonical form (or by text), in order of first mention."""
    groups: dict[str, list[Fact]] = {}
    for fact in sorted((f for f in facts if f.kind == kind), key=lambda f: (f.start, f.number)):
        key = fact.text if by_text else (fact.canonical or fact.text)
        groups.setdefault(key, []).append(fact)
    return [FactGroup(name, tuple(found)) for name, found in groups.items()]


def _join(values: Sequence[str]) -> str:
    return escape(", ".join(v for v in values if v))


def _name_cell(name: str, rules: Sequence[str]) -> str:
    """The fact's name in bold, the rules that found it under it."""
    return (f"<b>{escape(name)}</b>"
            + "".join(f'<div class="rule"><code>{_breakable(rule)}</code></div>' for rule in rules))


def _breakable(rule: str) -> str:
    """A rule name that may wrap after its dots and underscores only ('program.quoted_name')."""
    return escape(rule).replace(".", ".<wbr>").replace("_", "_<wbr>")


@dataclass(frozen=True)
class Row:
    """A side-table entry: its cells, then its evidence sentence on a full-width line."""
    cells: tuple[str, ...]  # HTML
    sentence: str  # HTML


def _section(kind: str, title: str, head: Sequence[str], rows: Sequence[Row]) -> str:
    if rows:
        body = "\n".join(f'<tr class="fact">{"".join(f"<td>{c}</td>" for c in row.cells)}</tr>\n'
                         f'<tr class="evidence"><td colspan="{len(head)}">{row.sentence}</td></tr>' for row in rows)
    else:
        body = f'<tr><td colspan="{len(head)}" class="none">none found</td></tr>'
    return (f'<section class="facts" id="facts-{css_class(kind)[5:]}"><h2><span class="swatch {css_class(kind)}">'
            f'</span>{escape(title)} <small>({len(rows)})</small></h2>\n<table><thead><tr>'
            + "".join(f"<th>{escape(h)}</th>" for h in head)
            + f"</tr></thead>\n<tbody>\n{body}\n</tbody></table></section>")


def _forms(group: FactGroup) -> str:
    forms = _join(tuple(dict.fromkeys(f.text for f in group.facts)))
    return f"{forms} <small>×{len(group.facts)}</small>"


def _dates(start: object, end: object) -> str:
    if not start and not end:
        return ""
    if start == end:
        return f'<span class="when">{escape(str(start))}</span>'
    return f'<span class="when">{escape(str(start or "…"))} –</span><br><span class="when">{escape(str(end or "…"))}</span>'


def side_tables(ev: ArticleEvidence) -> str:
    """Agencies, programmes, target groups, goals, dates and people, each with its sentence."""
    sections = []
    agency_rows = {a.name: a for a in ev.agencies}
    rows = []
    for group in grouped(ev.facts, "agency"):
        row = agency_rows.get(group.name)
        rows.append(Row((_name_cell(group.name, group.rules), escape(row.level or "") if row else "",
                         escape(row.region or "") if row else "", _forms(group)), _sentence_html(group.first)))
    listed = {g.name for g in grouped(ev.facts, "agency")}
    for name, row in agency_rows.items():  # named by the article without a stored mention
        if name not in listed:
            rows.append(Row((_name_cell(name, ()), escape(row.level or ""), escape(row.region or ""),
                             _join(row.surface_forms)), ""))
    sections.append(_section("agency", "Agencies 기관", ["agency · rule", "level", "region", "written as"], rows))

    mentions_of = {g.name: g for g in grouped(ev.facts, "program")}
    rows = []
    for fact in ev.programmes:
        group = mentions_of.get(fact.program)
        rows.append(Row((_name_cell(fact.program, group.rules if group else ()),
                         _join(fact.agencies) + (f"<br><small>{escape(fact.region)}</small>" if fact.region else ""),
                         _dates(fact.date_start, fact.date_end), _join(fact.target_groups), _join(fact.goals)),
                        _sentence_html(group.first) if group else ""))
    stated = {p.program for p in ev.programmes}
    rows += [Row((_name_cell(name, group.rules), "", "", "", ""), _sentence_html(group.first))
             for name, group in mentions_of.items() if name not in stated]
    sections.append(_section("program", "Programmes 사업", ["programme · rule", "agencies · region", "dates",
                                                            "targets", "goals"], rows))

    rows = [Row((_name_cell(g.name, g.rules), _forms(g)), _sentence_html(g.first))
            for g in grouped(ev.facts, "target_group")]
    sections.append(_section("target_group", "Target groups 대상", ["group · rule", "written as"], rows))

    rows = [Row((_name_cell(f.text, (f.rule or "unknown",)), escape(fact_detail(f))), _sentence_html(f))
            for f in ev.facts if f.kind == "goal"]
    sections.append(_section("goal", "Goals 목표", ["goal · rule", "quantity"], rows))

    rows = [Row((_name_cell(f.text, (f.rule or "unknown",)), _dates(f.date_start, f.date_end)), _sentence_html(f))
            for f in ev.facts if f.kind == "date"]
    sections.append(_section("date", "Dates 일시", ["date · rule", "from – to"], rows))

    rows = [Row((_name_cell(f.canonical or f.text, (f.rule or "unknown",)), escape(f.role or "")), _sentence_html(f))
            for f in ev.facts if f.kind == "person"]
    if rows:
        sections.append(_section("person", "People 인물", ["name · rule", "role"], rows))

    rows = [Row((_name_cell(f.text, (f.rule or "unknown",)), escape(f.kind), escape(f.canonical or "")),
                _sentence_html(f)) for f in ev.facts if f.kind not in KINDS]
    if rows:
        sections.append(_section("other", "Other facts", ["fact · rule", "kind", "canonical"], rows))
    return "\n".join(sections)


def _css() -> str:
    rules = []
    for kind, (_, background, accent, _) in KINDS.items():
        rules.append(f"mark.{css_class(kind)}, .swatch.{css_class(kind)} {{ background: {background}; "
                     f"border-bottom: 2px solid {accent}; }}\n"
                     f"b.{css_class(kind)} {{ background: {background}; }}")
    return """
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 28px; color: #1d1d1f; background: #fbfbf8;
       font-family: "NanumGothic", "Nanum Gothic", "NanumBarunGothic", "Noto Sans CJK KR", "Noto Sans KR",
                    "Malgun Gothic", "Apple SD Gothic Neo", sans-serif; font-size: 15px; line-height: 1.75;
       word-break: keep-all; overflow-wrap: anywhere; }  /* Korean breaks between words, not inside them */
header { border-bottom: 1px solid #d4d4cc; margin-bottom: 16px; padding-bottom: 8px; }
h1 { font-size: 24px; line-height: 1.35; margin: 0 0 6px; }
.meta { color: #4a4a4a; font-size: 14px; }
.meta a { color: #2f5fa7; word-break: break-all; }
.legend { margin: 10px 0 0; font-size: 13px; }
.legend mark { margin-right: 8px; }
.layout { display: flex; gap: 28px; align-items: flex-start; }
article { flex: 1 1 54%; min-width: 0; max-width: 760px; }
article p { margin: 0 0 0.9em; }
aside { flex: 1 1 46%; min-width: 0; font-size: 13px; line-height: 1.5; }
mark { color: inherit; padding: 1px 1px 0; border-radius: 2px; }
mark mark { padding: 0; }
.facts h2 { font-size: 15px; margin: 14px 0 4px; }
.facts h2 small { color: #666; font-weight: normal; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
table { border-collapse: collapse; width: 100%; }
th { text-align: left; background: #ecebe4; font-weight: 600; }
th, td { border: 1px solid #d9d8d0; padding: 3px 6px; vertical-align: top; }
tr.fact td { border-bottom: none; background: #ffffff; }
tr.evidence td { border-top: none; color: #3a3a3a; padding: 0 6px 6px 18px; background: #ffffff; }
td.none { color: #777; }
.when { white-space: nowrap; }
.rule code { font-size: 11px; color: #555; word-break: normal; overflow-wrap: normal; }
small { color: #666; }
footer { margin-top: 20px; font-size: 12px; color: #666; }
@media (max-width: 900px) { .layout { display: block; } }
""" + "\n".join(rules) + "\n"


def _published(ev: ArticleEvidence) -> str:
    return ev.published_at.strftime("%Y-%m-%d %H:%M KST") if ev.published_at else "no publication date"


def byline(ev: ArticleEvidence) -> str:
    reporter = " ".join(p for p in (ev.reporter, f"<{ev.reporter_email}>" if ev.reporter_email else None) if p)
    return " · ".join(p for p in (ev.outlet or "outlet unknown", reporter or "no byline", _published(ev)) if p)


def render_html(ev: ArticleEvidence) -> str:
    """A self-contained page: the body with its facts marked, and the side tables."""
    address = ev.url or ev.source_path or ""
    link = (f'<a href="{escape(address)}">{escape(address)}</a>' if address.startswith(("http://", "https://"))
            else escape(address))
    legend = " ".join(f'<mark class="{css_class(kind)}">{escape(label)}</mark>' for kind, (label, *_) in KINDS.items())
    hidden = len(ev.facts) - len(shown_facts(ev.body, ev.facts))
    note = f" · {hidden} facts with offsets outside the body are listed but not marked" if hidden else ""
    return f"""<!DOCTYPE html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(ev.title or ev.article_id)} — pressflow evidence</title>
<style>{_css()}</style>
</head>
<body>
<header>
<h1>{escape(ev.title or "(no title)")}</h1>
<div class="meta">{escape(byline(ev))}</div>
<div class="meta">{link} · id <code>{escape(ev.article_id)}</code></div>
<div class="legend">{legend}</div>
</header>
<div class="layout">
<article>
{marked_html(ev.body, ev.facts)}
</article>
<aside>
{side_tables(ev)}
</aside>
</div>
<footer>{len(ev.facts)} facts{escape(note)} · analyser {escape(ev.analyser_version or "unknown")} ·
hover a mark for its kind, canonical form and rule</footer>
</body>
</html>
"""


# --- terminal -------------------------------------------------------------------------------

def _style(kind: str) -> Style:
    return Style(color=kind_style(kind)[3], underline=True)


def _marked_pieces(body: str, facts: Sequence[Fact]) -> Iterator[tuple[str, Style | str]]:
    """The body as (text, style) pieces, with a dim [n] after each fact (n = its row in the table)."""
    shown = shown_facts(body, facts)
    for piece in pieces(0, len(body), shown):
        style = Style.combine([_style(f.kind) for f in piece.covering]) if piece.covering else ""
        yield body[piece.start:piece.end], style
        for fact in sorted((f for f in piece.covering if f.end == piece.end), key=lambda f: -f.start):
            yield f"[{fact.number}]", Style(color=kind_style(fact.kind)[3], dim=True)


def render_terminal(ev: ArticleEvidence) -> RenderableType:
    """Title and byline, the body with every fact coloured and numbered, and the facts table."""
    header = Text()
    header.append(ev.title or "(no title)", style="bold")
    header.append("\n" + byline(ev), style="")
    header.append("\n" + (ev.url or ev.source_path or "") + f"  id {ev.article_id}", style="dim")
    legend = Text("  ".join(label for label, *_ in KINDS.values()))
    for kind, (label, *_rest) in KINDS.items():
        at = legend.plain.find(label)
        legend.stylize(_style(kind), at, at + len(label))
    body = Text()
    for text, style in _marked_pieces(ev.body, ev.facts):
        body.append(text, style=style)
    table = Table(title="facts", title_justify="left")
    for column in ("#", "kind", "text", "canonical", "detail", "rule"):
        table.add_column(column, overflow="fold")  # a rule name is shown whole, never cut with '…'
    for fact in sorted(ev.facts, key=lambda f: (f.start, f.number)):
        # Text cells: a '[' in an article's words is text, never rich markup
        table.add_row(Text(str(fact.number)), Text(fact.kind, style=Style(color=kind_style(fact.kind)[3])),
                      Text(fact.text), Text(fact.canonical or ""), Text(fact_detail(fact)), Text(fact.rule or "unknown"))
    return Group(header, legend, Text(""), body, Text(""), table)
