"""Server-rendered bar charts: geometry computed here, drawn by templates/stats/_chart.html as
inline SVG (role="img" with <title> and <desc>), always next to a table of the same numbers.

One kind of chart is enough for every figure of the page: horizontal bars, one per category,
each made of coloured segments, with the category's name above its bar (long agency names
stay readable on a 360 px phone) and the value after it. Colours are the Okabe–Ito palette
(distinguishable with the common colour-vision deficiencies); every segment is named in the
legend and its number is in the table.
"""

import math
from dataclasses import dataclass, field

from django.utils.formats import number_format

WIDTH = 360  # about a phone's width: the text stays readable there, unscaled
LABEL_HEIGHT = 19
BAR_HEIGHT = 18
GAP = 10
VALUE_ROOM = 60  # right of the longest bar, for its value
LEGEND_ROW = 22
FONT_SIZE = 14

COLOURS = {
    "early": "#0072B2",
    "on_time": "#009E73",
    "late": "#D55E00",
    "open_on_time": "#56B4E9",
    "open_overdue": "#CC79A7",
    "paused": "#E69F00",
    "very_satisfied": "#0072B2",
    "satisfied": "#009E73",
    "unsatisfied": "#D55E00",
    "score": "#0B4F8A",
}


def number(value: float | int | None, decimals: int = 0) -> str:
    """Vietnamese grouping and decimal comma: 1.234.567 / 95,2."""
    if value is None:
        return "—"
    # number_format cuts decimals off; round first (82.35… → 82,4).
    return number_format(
        round(value, decimals), decimal_pos=decimals, use_l10n=True, force_grouping=True
    )


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{number(rate * 100, 1)} %"


@dataclass
class Segment:
    key: str
    label: str
    value: float
    x: float = 0
    width: float = 0

    @property
    def colour(self) -> str:
        return COLOURS.get(self.key, "#0B4F8A")


@dataclass
class LegendItem:
    key: str
    label: str
    y: float

    @property
    def colour(self) -> str:
        return COLOURS.get(self.key, "#0B4F8A")

    @property
    def text_y(self) -> float:
        return self.y + 13


@dataclass
class Bar:
    label: str
    segments: list[Segment]
    value_text: str
    y: float = 0

    @property
    def label_y(self) -> float:
        return self.y + LABEL_HEIGHT - 4

    @property
    def bar_y(self) -> float:
        return self.y + LABEL_HEIGHT

    @property
    def end_x(self) -> float:
        return sum(s.width for s in self.segments)

    @property
    def value_x(self) -> float:
        return self.end_x + 4

    @property
    def value_y(self) -> float:
        return self.bar_y + BAR_HEIGHT - 4

    @property
    def track_width(self) -> float:
        return WIDTH - VALUE_ROOM


@dataclass
class Chart:
    """What _chart.html draws. `id` makes the <title>/<desc> ids unique on the page."""

    id: str
    title: str
    description: str
    bars: list[Bar]
    legend: list[LegendItem] = field(default_factory=list)
    width: int = WIDTH
    height: float = 0
    legend_y: float = 0
    empty_text: str = ""
    font_size: int = FONT_SIZE
    bar_height: int = BAR_HEIGHT

    @property
    def has_data(self) -> bool:
        return any(s.value for bar in self.bars for s in bar.segments)


def truncate(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def bar_chart(
    *,
    id: str,
    title: str,
    description: str,
    rows: list[tuple[str, list[tuple[str, str, float]], str]],
    scale_max: float | None = None,
    empty_text: str = "",
) -> Chart:
    """`rows`: (category label, [(segment key, segment label, value)], value text).
    The longest bar spans the width unless `scale_max` is given (100 for percentages)."""
    biggest = max((sum(v for _k, _l, v in segments) for _c, segments, _t in rows), default=0)
    top = scale_max or biggest or 1
    room = WIDTH - VALUE_ROOM
    bars, y = [], 0.0
    legend: dict[str, str] = {}
    for category, parts, value_text in rows:
        x = 0.0
        segments = []
        for key, label, value in parts:
            width = room * value / top if value else 0
            segments.append(Segment(key=key, label=label, value=value, x=x, width=width))
            x += width
            legend.setdefault(key, label)
        bars.append(Bar(label=truncate(category), segments=segments, value_text=value_text, y=y))
        y += LABEL_HEIGHT + BAR_HEIGHT + GAP
    legend_y = y + 4
    legend_items = (
        [
            LegendItem(key=key, label=label, y=legend_y + i * LEGEND_ROW)
            for i, (key, label) in enumerate(legend.items())
        ]
        if len(legend) > 1
        else []
    )
    height = legend_y + LEGEND_ROW * len(legend_items)
    return Chart(
        id=id,
        title=title,
        description=description,
        bars=bars,
        legend=legend_items,
        height=max(math.ceil(height), 24),
        legend_y=legend_y,
        empty_text=empty_text,
    )
