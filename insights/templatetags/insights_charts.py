"""Small charts as inline SVG, drawn on the server: no chart library, no script, no style attribute.

Shapes carry presentation attributes and CSS classes only (the CSP allows styles from 'self'
alone). Numbers are escaped by format; labels go through ``escape``.
"""

from __future__ import annotations

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


def _width(value: int | float, top: int | float) -> float:
    if not top or value <= 0:
        return 0.0
    return round(min(value / top, 1.0) * 100, 2)


@register.simple_tag
def bar(value: int, top: int) -> SafeString:
    """A horizontal bar, value against the table's largest; the number sits beside it."""
    return mark_safe(
        '<svg class="chart-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
        '<rect class="chart-track" x="0" y="0" width="100" height="10"/>'
        f'<rect class="chart-fill" x="0" y="0" width="{_width(value, top)}" height="10"/></svg>'
    )


@register.simple_tag
def share_bar(share: float | None, kind: str = "good") -> SafeString:
    """A 0–100 % bar (solved rate, unhelpful share)."""
    fill = "chart-fill-bad" if kind == "bad" else "chart-fill-good"
    return mark_safe(
        '<svg class="chart-bar" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
        '<rect class="chart-track" x="0" y="0" width="100" height="10"/>'
        f'<rect class="{fill}" x="0" y="0" width="{_width(share or 0, 1)}" height="10"/></svg>'
    )


@register.simple_tag
def funnel_bar(reached: int, continued: int, top: int) -> SafeString:
    """Arrivals at a question (light) and those who answered it (dark), against the entry."""
    return mark_safe(
        '<svg class="chart-bar chart-funnel" viewBox="0 0 100 10" preserveAspectRatio="none" '
        'aria-hidden="true" focusable="false">'
        '<rect class="chart-track" x="0" y="0" width="100" height="10"/>'
        f'<rect class="chart-reached" x="0" y="0" width="{_width(reached, top)}" height="10"/>'
        f'<rect class="chart-fill" x="0" y="0" width="{_width(min(continued, reached), top)}" '
        'height="10"/></svg>'
    )


@register.simple_tag
def sparkline(series: list[int], label: str) -> SafeString:
    """Per-day counts as a line; the label (read out) gives the total and the busiest day."""
    values = list(series) or [0]
    top = max(values) or 1
    step = 100 / max(len(values) - 1, 1)
    points = " ".join(
        f"{round(i * step, 2)},{round(28 - v / top * 26, 2)}" for i, v in enumerate(values)
    )
    summary = f"{label}：{len(values)} 天合计 {sum(values)}，最多的一天 {max(values)}"
    return mark_safe(
        f'<svg class="chart-spark" viewBox="0 0 100 30" preserveAspectRatio="none" '
        f'role="img" aria-label="{escape(summary)}"><title>{escape(summary)}</title>'
        f'<polyline class="chart-line" points="{points}" fill="none" '
        'vector-effect="non-scaling-stroke"/></svg>'
    )
