"""Charts drawn on the server as SVG geometry (no chart library, no script): the template
draws the bars, and the same numbers stand in a table beside every chart."""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 320
BAR_HEIGHT = 18
GAP = 8
LABEL_WIDTH = 110


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    shown: str
    """The value as the table shows it."""
    width: float
    y: int
    tone: str
    """A class of the stylesheet: ``ok``, ``warn``, ``bad`` or ``neutral``."""


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    bars: list[Bar]
    height: int
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def plot_width(self) -> int:
        return self.width - self.label_width - 40


def bar_chart(
    title: str,
    rows: list[tuple[str, float, str, str]],
    *,
    scale: float | None = None,
) -> BarChart:
    """``rows``: (label, value, value as shown, tone). Bars are scaled to ``scale`` (or the
    largest value), so an empty chart is empty rather than full."""
    top = scale if scale is not None else max((value for _, value, _, _ in rows), default=0.0)
    plot = WIDTH - LABEL_WIDTH - 40
    bars = [
        Bar(
            label=label,
            value=value,
            shown=shown,
            width=(plot * value / top) if top > 0 else 0.0,
            y=index * (BAR_HEIGHT + GAP),
            tone=tone,
        )
        for index, (label, value, shown, tone) in enumerate(rows)
    ]
    height = max(1, len(bars)) * (BAR_HEIGHT + GAP)
    return BarChart(title=title, bars=bars, height=height)
