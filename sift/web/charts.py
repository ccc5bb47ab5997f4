"""Small charts drawn on the server as inline SVG: no script, no library, no other host.

Each chart is a list of bars, a bar a stack of named segments (a segment of 0 is drawn as
a sliver, so a crawl that fetched nothing still shows); the colours of the segment names
are fixed so "approved" looks the same on every page. Every chart carries a text
title and a description for screen readers (`<title>`, `<desc>`); a chart whose bars are
links is a group of links rather than one image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup, escape

COLOURS = {
    "approved": "#1c7c4a",
    "success": "#1c7c4a",
    "pending": "#2d5bd7",
    "rejected": "#b42318",
    "failed": "#b42318",
    "superseded": "#8a93a6",
    "clusters": "#2d5bd7",
}
"""Segment colours; every one has at least 4.5:1 contrast on white."""
OTHER = "#5b6475"

BAR_W, GAP, HEIGHT, LABEL_H = 26, 12, 90, 34


@dataclass
class Bar:
    label: str
    segments: dict[str, int] = field(default_factory=dict)
    href: str | None = None

    @property
    def total(self) -> int:
        return sum(self.segments.values())


def _segments(bar: Bar, x: int, scale: float) -> list[Markup]:
    shapes, top = [], HEIGHT
    for name, count in bar.segments.items():
        if count < 0:
            continue
        height = max(count * scale, 1.5)
        top -= height
        shapes.append(
            Markup(
                '<rect x="{}" y="{:.1f}" width="{}" height="{:.1f}" fill="{}">'
                "<title>{}: {} {}</title></rect>"
            ).format(x, top, BAR_W, height, COLOURS.get(name, OTHER), bar.label, count, name)
        )
    return shapes


def _label(bar: Bar, x: int) -> Markup:
    text = Markup('<text x="{}" y="{}" text-anchor="middle">{}</text>').format(
        x + BAR_W / 2, HEIGHT + 14, bar.label[:6]
    )
    total = Markup('<text x="{}" y="{}" text-anchor="middle" class="total">{}</text>').format(
        x + BAR_W / 2, HEIGHT + 28, bar.total
    )
    if bar.href:
        return Markup('<a href="{}">{}{}</a>').format(bar.href, text, total)
    return text + total


def stacked_bars(title: str, bars: list[Bar], *, empty: str = "Nothing to draw yet.") -> Markup:
    """An SVG bar chart (or a line saying there is nothing to draw)."""
    if not bars:
        return Markup('<p class="empty">{}</p>').format(empty)
    peak = max((b.total for b in bars), default=0) or 1
    scale = (HEIGHT - 4) / peak
    width = len(bars) * (BAR_W + GAP) + GAP
    parts: list[Markup] = []
    for index, bar in enumerate(bars):
        x = GAP + index * (BAR_W + GAP)
        parts.extend(_segments(bar, x, scale))
        parts.append(_label(bar, x))
    names = list(dict.fromkeys(n for b in bars for n in b.segments))
    summary = "; ".join(
        f"{b.label}: " + ", ".join(f"{c} {n}" for n, c in b.segments.items() if c) for b in bars
    )
    legend = Markup("").join(
        Markup('<span class="key"><i style="background:{}"></i>{}</span>').format(
            COLOURS.get(n, OTHER), n
        )
        for n in names
    )
    return Markup(
        '<figure class="chart"><svg role="{role}" aria-label="{title}" viewBox="0 0 {w} {h}" '
        'width="{w}" height="{h}"><title>{title}</title><desc>{desc}</desc>{body}</svg>'
        "<figcaption>{title} {legend}</figcaption></figure>"
    ).format(
        role="group" if any(b.href for b in bars) else "img",  # an img's links are unreachable
        title=title,
        w=width,
        h=HEIGHT + LABEL_H,
        desc=escape(summary),
        body=Markup("").join(parts),
        legend=legend,
    )
