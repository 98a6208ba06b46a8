"""The one-line header: plan, region and masked key; on the right the data source and its age."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static

from glmplan.plan import PLANS, PlanName
from glmplan.quota.model import UsageReport
from glmplan.tui.format import short_duration
from glmplan.tui.services import Account

FRESH_SECONDS = 5


def plan_title(plan: str | None) -> str:
    try:
        return PLANS[PlanName(plan)].title if plan else "GLM Coding Plan"
    except ValueError:
        return f"GLM Coding Plan {plan}"


def identity_text(plan: str | None, account: Account) -> str:
    parts = ["glmplan", plan_title(plan)]
    if account.region:
        parts.append(account.region)
    if account.masked_key:
        parts.append(f"key {account.masked_key}")
    return " · ".join(parts)


def source_text(report: UsageReport | None, now: datetime) -> tuple[str, str]:
    """(`API ok 12 s ago` | `stale 5 min` | `local estimate`, CSS class: -ok, -stale, -local)."""
    if report is None:
        return "loading…", "-local"
    api = report.api
    if api.fetched_at is None:
        return "local estimate", "-local"
    age_s = (now - api.fetched_at).total_seconds()
    if api.ok and not api.stale:
        age = "just now" if age_s < FRESH_SECONDS else f"{short_duration(age_s)} ago"
        return f"API ok {age}", "-ok"
    return f"stale {short_duration(age_s)}", "-stale"


class HeaderBar(Horizontal):
    def __init__(self, account: Account, id: str | None = None) -> None:
        super().__init__(id=id)
        self.account = account
        self.report: UsageReport | None = None
        self.live = False

    def compose(self) -> ComposeResult:
        yield Static(identity_text(None, self.account), id="header-identity")
        yield Static(id="header-source")
        yield Static(id="header-logs")

    def show(self, report: UsageReport, now: datetime, live: bool) -> None:
        self.report, self.live = report, live
        self.query_one("#header-identity", Static).update(identity_text(report.plan, self.account))
        logs = "· local logs live" if live else "· local logs"
        self.query_one("#header-logs", Static).update(logs)
        self.tick(now)

    def tick(self, now: datetime) -> None:
        text, level = source_text(self.report, now)
        source = self.query_one("#header-source", Static)
        for name in ("-ok", "-stale", "-local"):
            source.set_class(name == level, name)
        if str(source.content) != text:
            source.update(text)
