"""A one-line horizontal gauge: a solid bar and a label, coloured by threshold level."""

from __future__ import annotations

from typing import ClassVar

from rich.style import Style
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from glmplan.tui.format import bar


class Gauge(Widget):
    """Fill `fraction` of the width left of `label`; CSS classes -warn / -crit colour it."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"gauge--fill", "gauge--empty", "gauge--label"}

    fraction: reactive[float | None] = reactive[float | None](None)
    label: reactive[str] = reactive("")

    def __init__(
        self,
        *,
        thresholds: tuple[float, float] = (80.0, 95.0),
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.thresholds = thresholds

    def set(self, fraction: float | None, label: str) -> None:
        self.fraction = fraction
        self.label = label
        percent = (fraction or 0.0) * 100
        warn, crit = self.thresholds
        self.set_class(warn <= percent < crit, "-warn")
        self.set_class(percent >= crit, "-crit")

    def render(self) -> Text:
        label = f"  {self.label}" if self.label else ""
        width = max(0, self.content_size.width - len(label))
        full, partial = bar(self.fraction or 0.0, width)
        fill = self.get_component_rich_style("gauge--fill")
        empty = self.get_component_rich_style("gauge--empty")
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append("█" * full, fill)
        text.append(partial, Style(color=fill.color, bgcolor=empty.color))
        text.append("█" * (width - full - len(partial)), empty)
        text.append(label, self.get_component_rich_style("gauge--label"))
        return text
