"""Small charts drawn on the server as inline SVG: no script, no library, no other host.

A bar chart is a list of bars, a bar a stack of named segments (a segment of 0 is drawn as
a sliver, so a crawl that fetched nothing still shows); a line chart draws named series of
fractions (0 to 1) over the same points, such as precision and recall run after run. The
colours of names are fixed so "approved" looks the same on every page. Every chart carries a text
title and a description for screen readers (`<title>`, `<desc>`); a chart whose bars are
links is a group of links rather than one image.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markupsafe import Markup

COLOURS = {
    "approved": "#1c7c4a",
    "success": "#1c7c4a",
    "pending": "#2d5bd7",
    "rejected": "#b42318",
    "failed": "#b42318",
    "superseded": "#8a93a6",
    "clusters": "#2d5bd7",
    "precision": "#2d5bd7",
    "recall": "#b54708",
    "f1": "#1c7c4a",
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
    role = "group" if any(b.href for b in bars) else "img"  # an img's links are unreachable
    return _figure(title, role, width, HEIGHT + LABEL_H, summary, Markup("").join(parts), names)


def _figure(
    title: str, role: str, width: float, height: float, summary: str, body: Markup, names: list
) -> Markup:
    """The SVG in its figure, with a text title, a description and a colour key."""
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
    ).format(role=role, title=title, w=width, h=height, desc=summary, body=body, legend=legend)


AXIS_W, STEP, TOP = 30, 44, 8


def _y(value: float) -> float:
    return TOP + (1 - min(max(value, 0.0), 1.0)) * (HEIGHT - TOP)


def _axis(width: float) -> Markup:
    """Grid lines and labels at 0, 0.5 and 1."""
    return Markup("").join(
        Markup(
            '<line x1="{x}" y1="{y:.1f}" x2="{w}" y2="{y:.1f}" stroke="#d5d9e2"/>'
            '<text x="{tx}" y="{ty:.1f}" text-anchor="end">{v}</text>'
        ).format(x=AXIS_W, y=_y(v), w=width, tx=AXIS_W - 4, ty=_y(v) + 3, v=v)
        for v in (0, 0.5, 1)
    )


def _series(name: str, values: list[float | None], labels: list[str]) -> Markup:
    points = [
        (AXIS_W + STEP / 2 + i * STEP, _y(v), label, v)
        for i, (label, v) in enumerate(zip(labels, values, strict=True))
        if v is not None
    ]
    colour = COLOURS.get(name, OTHER)
    line = Markup('<polyline fill="none" stroke="{}" stroke-width="2" points="{}"/>').format(
        colour, " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
    )
    dots = Markup("").join(
        Markup(
            '<circle cx="{:.1f}" cy="{:.1f}" r="3.5" fill="{}"><title>{}: {} {:.3f}</title>'
            "</circle>"
        ).format(x, y, colour, label, name, v)
        for x, y, label, v in points
    )
    return line + dots


def lines(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    empty: str = "Nothing to draw yet.",
) -> Markup:
    """An SVG line chart of fractions (0 to 1), one point per label and series (None
    leaves a gap), or a line saying there is nothing to draw."""
    if not labels:
        return Markup('<p class="empty">{}</p>').format(empty)
    width = AXIS_W + len(labels) * STEP + GAP
    ticks = Markup("").join(
        Markup('<text x="{:.1f}" y="{}" text-anchor="middle">{}</text>').format(
            AXIS_W + STEP / 2 + i * STEP, HEIGHT + 14, label[:6]
        )
        for i, label in enumerate(labels)
    )
    body = _axis(width) + ticks
    body += Markup("").join(_series(n, values, labels) for n, values in series.items())
    summary = "; ".join(
        f"{label}: "
        + ", ".join(f"{n} {vs[i]:.3f}" for n, vs in series.items() if vs[i] is not None)
        for i, label in enumerate(labels)
    )
    return _figure(title, "img", width, HEIGHT + LABEL_H, summary, body, list(series))
