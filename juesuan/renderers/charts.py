"""Charts of 情况说明 (图1–图4): ``chart_svg`` (inline SVG for HTML) and ``chart_png``
(matplotlib, for DOCX and PDF).

Owns the look of the charts (same layout and colours in both) and the CJK font
the PNGs use: the Noto Sans SC shipped by the pip package ``pylopdf-fonts-zh-cn``
(a fresh machine has no CJK font), added to matplotlib with ``addfont`` (its cache
would hide later-installed fonts).

Why two drawers: importing matplotlib and loading the CJK font alone take ~1.3 s
on the 2-core target, more than the whole HTML build may take (1.5 s). The SVG is
therefore written directly (a few milliseconds) with real text in the page's font
stack; it needs nothing the page itself does not. matplotlib is imported lazily,
only when a PNG is asked for.

Values are displayed 万元 figures (``Decimal``); they become floats only at the
drawing call, and every label prints the Decimal itself.
"""

from __future__ import annotations

import dataclasses
import io
import re
from decimal import Decimal
from functools import lru_cache
from html import escape

from ..document import Chart
from ..figures import round_half_up
from ..fonts import cjk_font_path

__all__ = ["chart_svg", "chart_png", "cjk_font_path", "drawn_charts", "says_something"]

_COLORS = ("#3b6ea8", "#e07b39", "#5a9e5a", "#c44e52", "#8172b2", "#937860", "#da8bc3", "#8c8c8c")


@lru_cache(maxsize=1)
def _setup() -> str:
    import matplotlib
    matplotlib.use("Agg")
    from matplotlib import font_manager
    path = cjk_font_path("Sans")
    font_manager.fontManager.addfont(path)
    name = font_manager.FontProperties(fname=path).get_name()
    matplotlib.rcParams.update({
        "font.family": "sans-serif",
        "font.sans-serif": [name, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "juesuan",   # stable ids: the same chart gives the same SVG
    })
    return name


def _key(chart: Chart) -> tuple:
    return chart.kind, tuple(chart.labels), tuple(v if v is not None else Decimal(0) for v in chart.values)


def says_something(chart: Chart) -> bool:
    """A pie of fewer than two slices (one slice is 100 %) or a chart of no figure says nothing."""
    values = [v for v in chart.values if v]
    if chart.kind == "pie":
        return len(values) >= 2
    return bool(values)


_FIGURE = re.compile(r"^图\s*\d+\s*[：:]\s*")


def drawn_charts(doc) -> dict[str, Chart]:
    """The charts of ``doc`` worth drawing, by id, in the order of the document: for each, the
    first of it and its ``alternatives`` that says something (:func:`says_something`) and does not
    show the same figures as a chart before it (all income 财政拨款: 图4's totals would repeat
    图1's, so its 一般公共预算 expenditure by class is drawn); none when no view is worth drawing;
    the ones drawn numbered 图1, 图2… again."""
    out: dict[str, Chart] = {}
    seen: set[tuple] = set()
    for s in doc.sections():
        for planned in s.charts:
            for c in (planned, *planned.alternatives):   # the first view worth drawing
                key = _key(c)
                if not says_something(c) or key in seen:
                    continue
                seen.add(key)
                title = _FIGURE.sub("", c.title)
                if _FIGURE.match(c.title):
                    title = f"图{len(out) + 1}：{title}"
                out[planned.id] = dataclasses.replace(c, id=planned.id, title=title, alternatives=[])
                break
    return out


def _label(v: Decimal) -> str:
    return f"{v.quantize(Decimal('0.01')):.2f}"


def _figure(chart: Chart):
    _setup()
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(6.4, 3.6))
    values = [v if v is not None else Decimal(0) for v in chart.values]
    if chart.kind == "bar":
        xs = range(len(values))
        bars = ax.bar(list(xs), [float(v) for v in values], width=0.45,
                      color=[_COLORS[i % len(_COLORS)] for i in xs])
        top = max((float(v) for v in values), default=0.0) or 1.0
        for b, v in zip(bars, values):
            ax.text(b.get_x() + b.get_width() / 2, b.get_height() + top * 0.02, _label(v),
                    ha="center", va="bottom", fontsize=10)
        ax.set_xticks(list(xs), chart.labels)
        ax.set_ylim(0, top * 1.18)
        ax.set_ylabel(f"单位：{chart.unit}")
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    else:
        total = sum(values, Decimal(0))
        shown = [(lab, v) for lab, v in zip(chart.labels, values) if v]
        if not shown or total == 0:
            ax.text(0.5, 0.5, "无数据", ha="center", va="center", fontsize=14)
            ax.axis("off")
        else:
            labels = [f"{lab} {_label(v)}{chart.unit}（{round_half_up(v / total * 100, 2)}%）"
                      for lab, v in shown]
            wedges, _ = ax.pie([float(v) for _, v in shown], startangle=90, counterclock=False,
                               colors=_COLORS[:len(shown)], wedgeprops={"linewidth": 1, "edgecolor": "white"})
            ax.legend(wedges, labels, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False,
                      fontsize=10)
            ax.axis("equal")
    ax.set_title(chart.title, fontsize=12)
    fig.tight_layout()
    return fig


def _x(v: float) -> str:
    return f"{v:.1f}"


_W, _H = 640, 360
_FONT = ('font-family="Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, '
         'SimHei, sans-serif"')


def _svg_bar(chart: Chart, values: list[Decimal]) -> list[str]:
    out = []
    left, right, top, bottom = 70, 30, 60, 300
    top_v = max(values, default=Decimal(0)) or Decimal(1)
    n = max(len(values), 1)
    slot = (_W - left - right) / n
    width = min(110.0, slot * 0.5)
    out.append(f'<line x1="{left}" y1="{bottom}" x2="{_W - right}" y2="{bottom}" stroke="#333"/>')
    out.append(f'<text x="{left - 8}" y="{top - 14}" font-size="12" text-anchor="start" '
               f'fill="#555">单位：{escape(chart.unit)}</text>')
    for i, (lab, v) in enumerate(zip(chart.labels, values)):
        h = float(v / top_v) * (bottom - top - 20)   # geometry only; the label prints the Decimal
        x = left + slot * i + (slot - width) / 2
        out.append(f'<rect x="{_x(x)}" y="{_x(bottom - h)}" width="{_x(width)}" height="{_x(h)}" '
                   f'fill="{_COLORS[i % len(_COLORS)]}"><title>{escape(lab)} {_label(v)}</title></rect>')
        out.append(f'<text x="{_x(x + width / 2)}" y="{_x(bottom - h - 6)}" font-size="14" '
                   f'text-anchor="middle">{_label(v)}</text>')
        out.append(f'<text x="{_x(x + width / 2)}" y="{bottom + 22}" font-size="14" '
                   f'text-anchor="middle">{escape(lab)}</text>')
    return out


def _svg_pie(chart: Chart, values: list[Decimal]) -> list[str]:
    import math
    out = []
    shown = [(lab, v) for lab, v in zip(chart.labels, values) if v]
    total = sum((v for _, v in shown), Decimal(0))
    cx, cy, r = 190.0, 200.0, 120.0
    if not shown or total <= 0:
        return [f'<text x="{_W / 2}" y="{_H / 2}" font-size="16" text-anchor="middle">无数据</text>']
    angle = -math.pi / 2
    for i, (lab, v) in enumerate(shown):
        color = _COLORS[i % len(_COLORS)]
        frac = float(v / total)
        if len(shown) == 1 or frac >= 0.999999:
            out.append(f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{color}"/>')
        else:
            a2 = angle + frac * 2 * math.pi
            x1, y1 = cx + r * math.cos(angle), cy + r * math.sin(angle)
            x2, y2 = cx + r * math.cos(a2), cy + r * math.sin(a2)
            large = 1 if frac > 0.5 else 0
            out.append(f'<path d="M{cx},{cy} L{_x(x1)},{_x(y1)} A{r},{r} 0 {large} 1 {_x(x2)},{_x(y2)} Z" '
                       f'fill="{color}" stroke="#fff" stroke-width="1.5"/>')
            angle = a2
        ly = cy - (len(shown) - 1) * 17 + i * 34 + 5   # legend centred on the pie
        share = round_half_up(v / total * 100, 2)
        out.append(f'<rect x="350" y="{ly - 13}" width="16" height="16" fill="{color}"/>')
        out.append(f'<text x="374" y="{ly}" font-size="14">{escape(lab)} {_label(v)}{escape(chart.unit)}'
                   f'（{share}%）</text>')
    return out


def chart_svg(chart: Chart) -> str:
    """The chart as an inline SVG string (pure Python, no matplotlib: HTML builds stay fast).

    Text stays text (selectable, searchable, crisp at any zoom) and uses the same
    CJK font stack as the page, so the SVG needs nothing the page does not.
    """
    values = [v if v is not None else Decimal(0) for v in chart.values]
    body = _svg_bar(chart, values) if chart.kind == "bar" else _svg_pie(chart, values)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_W} {_H}" width="{_W}" height="{_H}" '
            f'role="img" aria-label="{escape(chart.title)}" {_FONT} fill="#222">'
            f'<text x="{_W / 2}" y="28" font-size="17" text-anchor="middle">{escape(chart.title)}</text>'
            + "".join(body) + "</svg>")


def chart_png(chart: Chart, dpi: int = 150) -> bytes:
    """The chart as PNG bytes (for DOCX and PDF)."""
    import matplotlib.pyplot as plt
    fig = _figure(chart)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    plt.close(fig)
    return buf.getvalue()
