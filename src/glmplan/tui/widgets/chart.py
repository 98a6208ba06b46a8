"""Prompts per 15 minutes over the current 5-hour window, as a small bar chart with a time axis."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from glmplan.quota.model import UsageReport
from glmplan.tui.format import BUCKET, WINDOW, buckets, clock, spark_rows, window_bounds

COUNT = int(WINDOW / BUCKET)


class PromptChart(Widget):
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "chart--bar",
        "chart--now",
        "chart--axis",
        "chart--empty",
    }

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.border_title = "Prompts this window (15 min)"
        self.values: list[int] = [0] * COUNT
        self.current = -1  # index of the bucket containing `now`
        self.start: datetime | None = None
        self.end: datetime | None = None
        self.tz: tzinfo | None = None

    def show(self, report: UsageReport, tz: tzinfo | None) -> None:
        self.start, self.end = window_bounds(report)
        self.tz = tz
        if self.start is None:
            self.values, self.current = [0] * COUNT, -1
        else:
            self.values = buckets(report.local.events, self.start, COUNT)
            self.current = int((report.generated_at - self.start) / BUCKET)
        self.border_subtitle = f"peak {max(self.values)}" if any(self.values) else ""
        self.refresh()

    def render(self) -> Text:
        width, height = self.content_size.width, self.content_size.height
        if self.start is None:
            return Text("no prompts in an active window", style=self._style("chart--empty"))
        width = max(COUNT, width)
        edges = [index * width // COUNT for index in range(COUNT + 1)]
        rows = spark_rows(self.values, max(1, height - 1))
        text = Text(no_wrap=True, overflow="crop")
        for line_no, row in enumerate(rows):
            if line_no:
                text.append("\n")
            for index, char in enumerate(row):
                style = "chart--now" if index == self.current else "chart--bar"
                text.append(char * (edges[index + 1] - edges[index]), self._style(style))
        if height > 1:
            text.append("\n")
            text.append(self._axis(width), self._style("chart--axis"))
        return text

    def _axis(self, width: int) -> str:
        left = clock(self.start, self.tz) if self.start else ""
        right = clock(self.end, self.tz) if self.end else ""
        return left + right.rjust(max(0, width - len(left)))

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(name)
