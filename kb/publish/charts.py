"""SVG chart geometry computed at build time (templates only draw what is computed here)."""
from __future__ import annotations

from collections import Counter

BAR_H, GAP, LABEL_W, WIDTH = 22, 10, 260, 720
COLORS = {"definition": "#6a4c93", "mechanism": "#1982c4", "treatment": "#8ac926"}


def facts_chart(rows: list[tuple[str, str, Counter]], types: tuple[str, ...]) -> dict:
    """Stacked horizontal bars: facts per document and type."""
    top = max((sum(c[t] for t in types) for _, _, c in rows), default=1) or 1
    scale = (WIDTH - LABEL_W - 60) / top
    bars = []
    for i, (doc_id, title, counts) in enumerate(rows):
        y, x = 30 + i * (BAR_H + GAP), LABEL_W
        parts = []
        for t in types:
            w = counts[t] * scale
            if w:
                parts.append({"x": round(x, 1), "width": round(w, 1), "color": COLORS[t], "type": t, "count": counts[t]})
            x += w
        bars.append({"doc_id": doc_id, "label": title if len(title) <= 18 else title[:17] + "…", "y": y,
                     "text_y": y + BAR_H * 0.7, "parts": parts, "total": sum(counts[t] for t in types),
                     "total_x": round(x + 6, 1)})
    legend = [{"type": t, "color": COLORS[t], "x": LABEL_W + i * 130} for i, t in enumerate(types)]
    return {"width": WIDTH, "height": 40 + len(rows) * (BAR_H + GAP), "bar_h": BAR_H, "bars": bars, "legend": legend}
