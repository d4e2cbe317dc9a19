"""Small hand-written SVG charts for the HTML report: no JavaScript, no external files.

Every chart is a string of inline SVG. Marks carry a `<title>` (the browser shows it as a
tooltip) and `data-*` attributes holding the exact values they draw, so tests can compare a
chart with the warehouse table it came from.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from html import escape
from typing import Any, Iterable, Sequence

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"

# Status colours: the same meaning everywhere in the report.
STATUS_COLORS = {
    "ok": "#5bb974",
    "warn": "#f4a93b",
    "critical": "#d93025",
    "insufficient_data": "#d0d4d9",
    "undefined": "#d0d4d9",
    "no_reference": "#d0d4d9",
}
REFERENCE_COLOR = "#3b6fd8"
CURRENT_COLOR = "#ef7d22"
REALIZED_COLOR = "#1b5fc1"
ESTIMATED_COLOR = "#9c36b5"
GRID_COLOR = "#e6e8eb"
AXIS_COLOR = "#6b7280"
TEXT_COLOR = "#1f2937"
MARKER_COLORS = {"champion": "#2b8a3e", "rollback": "#c92a2a", "challenger": "#5f3dc4", "archived": "#868e96"}


def attrs(**values: Any) -> str:
    """Render keyword arguments as XML attributes (``data_x`` becomes ``data-x``; None is skipped)."""
    out = []
    for key, value in values.items():
        if value is None:
            continue
        name = key.rstrip("_").replace("_", "-")
        out.append(f'{name}="{escape(str(value), quote=True)}"')
    return " ".join(out)


def title(text: str) -> str:
    return f"<title>{escape(text)}</title>"


def fmt(value: Any, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    if isinstance(value, (int,)) and not isinstance(value, bool):
        return f"{value:,}"
    value = float(value)
    if value != 0 and (abs(value) >= 10_000 or abs(value) < 10 ** -digits):
        return f"{value:.{digits}g}" if abs(value) < 10_000 else f"{value:,.0f}"
    return f"{value:.{digits}f}"


def mix(color_a: str, color_b: str, t: float) -> str:
    """Linear blend of two #rrggbb colours (t = 0 gives a, 1 gives b)."""
    t = min(1.0, max(0.0, t))
    a = [int(color_a[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(color_b[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(a, b))


def status_shade(status: str, value: float | None, warn: float | None, critical: float | None) -> str:
    """A heatmap colour: hue from the status, depth from how far the value is into its band."""
    if status == "ok":
        depth = (value or 0) / warn if warn else 0.0
        return mix("#eef8f0", "#9fd6ad", depth)
    if status == "warn":
        depth = ((value or 0) - warn) / (critical - warn) if warn is not None and critical and critical > warn else 0.5
        return mix("#fde7b0", "#f4a93b", depth)
    if status == "critical":
        depth = math.log((value or critical or 1) / critical, 4) if critical and value and value > critical else 0.0
        return mix("#ec6a5e", "#99140b", depth)
    return "#e2e5e9"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if not math.isfinite(low) or not math.isfinite(high):
        return []
    if high <= low:
        high = low + 1.0
    raw = (high - low) / max(count, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + 1e-9 * step:
        ticks.append(round(value, 12))
        value += step
    return ticks


@dataclass
class Canvas:
    width: float
    height: float
    label: str
    parts: list[str] = field(default_factory=list)

    def add(self, part: str) -> None:
        self.parts.append(part)

    def text(self, x: float, y: float, text: str, size: int = 11, anchor: str = "start", color: str = TEXT_COLOR,
             weight: str | None = None, halo: bool = False, **extra: Any) -> None:
        if halo:  # a white outline keeps a label readable over lines and points
            extra.update(stroke="#ffffff", stroke_width=3, paint_order="stroke", stroke_linejoin="round")
        self.add(
            f'<text {attrs(x=f"{x:.1f}", y=f"{y:.1f}", font_size=size, text_anchor=anchor, fill=color, font_weight=weight, **extra)}>'
            f"{escape(text)}</text>"
        )

    def line(self, x1: float, y1: float, x2: float, y2: float, color: str = GRID_COLOR, width: float = 1, dash: str | None = None,
             tooltip: str | None = None, **extra: Any) -> None:
        body = title(tooltip) if tooltip else ""
        self.add(
            f'<line {attrs(x1=f"{x1:.1f}", y1=f"{y1:.1f}", x2=f"{x2:.1f}", y2=f"{y2:.1f}", stroke=color, stroke_width=width, stroke_dasharray=dash, **extra)}>'
            f"{body}</line>"
        )

    def render(self) -> str:
        return (
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" {attrs(viewBox=f"0 0 {self.width:.0f} {self.height:.0f}", width=f"{self.width:.0f}", aria_label=self.label)} '
            f'style="max-width:100%;height:auto;font-family:{FONT}">' + "".join(self.parts) + "</svg>"
        )


@dataclass
class TimeAxis:
    """Windows laid out left to right, one equal slot each; shared by every chart of a monitor."""

    windows: Sequence[Any]
    left: float
    width: float
    labels: Sequence[str]

    @property
    def slot(self) -> float:
        return self.width / max(len(self.windows), 1)

    def x(self, index: int) -> float:
        return self.left + index * self.slot

    def center(self, index: int) -> float:
        return self.x(index) + self.slot / 2

    def index(self, window: Any) -> int | None:
        try:
            return list(self.windows).index(window)
        except ValueError:
            return None

    def position(self, moment: Any, window_length: Any = None) -> float | None:
        """x of a timestamp: inside its window's slot, proportionally; None outside the axis."""
        if not len(self.windows) or moment is None or moment < self.windows[0]:
            return None
        import bisect

        i = bisect.bisect_right(list(self.windows), moment) - 1
        start = self.windows[i]
        end = self.windows[i + 1] if i + 1 < len(self.windows) else (start + window_length if window_length is not None else None)
        if end is None or moment >= end:
            if i + 1 < len(self.windows) or end is None:
                return self.x(i) + self.slot
            return None
        frac = (moment - start) / (end - start)
        return self.x(i) + frac * self.slot

    def draw_ticks(self, canvas: Canvas, y: float, max_ticks: int = 12) -> None:
        n = len(self.windows)
        every = max(1, math.ceil(n / max_ticks))
        for i in range(0, n, every):
            canvas.line(self.center(i), y, self.center(i), y + 4, AXIS_COLOR)
            canvas.text(self.center(i), y + 15, self.labels[i], size=10, anchor="middle", color=AXIS_COLOR)


@dataclass
class Marker:
    """A vertical line at a moment (a promotion, a rollback), labelled at the top."""

    moment: Any
    label: str
    tooltip: str
    color: str


def draw_band(canvas: Canvas, axis: TimeAxis, first: int, last: int, top: float, bottom: float, label: str, tooltip: str) -> None:
    """Shade the windows first..last (inclusive) and label the band: the reference period."""
    x0, x1 = axis.x(first), axis.x(last) + axis.slot
    canvas.add(
        f'<g class="reference-band">{title(tooltip)}'
        f'<rect {attrs(x=f"{x0:.1f}", y=f"{top:.1f}", width=f"{x1 - x0:.1f}", height=f"{bottom - top:.1f}", fill=REFERENCE_COLOR, fill_opacity="0.07", stroke=REFERENCE_COLOR, stroke_opacity="0.55", stroke_dasharray="4 3")}/>'
        f"</g>"
    )
    canvas.text(x0 + 4, top - 4, label, size=10, color=REFERENCE_COLOR, weight="600")


def draw_markers(canvas: Canvas, axis: TimeAxis, markers: Iterable[Marker], top: float, bottom: float, window_length: Any) -> None:
    for marker in markers:
        x = axis.position(marker.moment, window_length)
        if x is None:
            continue
        canvas.add(
            f'<g class="event-marker">{title(marker.tooltip)}'
            f'<line {attrs(x1=f"{x:.1f}", y1=f"{top - 12:.1f}", x2=f"{x:.1f}", y2=f"{bottom:.1f}", stroke=marker.color, stroke_width=2, stroke_dasharray="5 3")}/>'
            f'<path d="M{x - 5:.1f},{top - 20:.1f} L{x + 5:.1f},{top - 20:.1f} L{x:.1f},{top - 12:.1f} Z" fill="{marker.color}"/>'
            f"</g>"
        )
        canvas.text(x + 7, top - 13, marker.label, size=10, color=marker.color, weight="600", halo=True)


def legend(items: Sequence[tuple[str, str, str]], size: int = 12) -> str:
    """An HTML legend: (kind, colour, label) with kind 'box', 'line', 'dash' or 'band'."""
    out = []
    for kind, color, label in items:
        if kind == "line":
            swatch = f'<svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" stroke="{color}" stroke-width="2.5"/></svg>'
        elif kind == "dash":
            swatch = f'<svg width="22" height="10"><line x1="1" y1="5" x2="21" y2="5" stroke="{color}" stroke-width="2.5" stroke-dasharray="4 3"/></svg>'
        elif kind == "ring":
            swatch = f'<svg width="12" height="12"><circle cx="6" cy="6" r="4" fill="#ffffff" stroke="{color}" stroke-width="1.5"/></svg>'
        elif kind == "band":
            swatch = f'<svg width="22" height="12"><rect x="1" y="1" width="20" height="10" fill="{color}" fill-opacity="0.1" stroke="{color}" stroke-dasharray="3 2"/></svg>'
        else:
            swatch = f'<svg width="{size}" height="{size}"><rect width="{size}" height="{size}" rx="2" fill="{color}"/></svg>'
        out.append(f'<span class="legend-item">{swatch}{escape(label)}</span>')
    return '<div class="legend">' + "".join(out) + "</div>"
