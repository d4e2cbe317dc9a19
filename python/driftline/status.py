"""`driftline status`: per monitor, the champion, what is drifting, what is blocked and why."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pandas as pd

from .config import Monitor
from .registry import Registry
from .retrain import Runner, read_signal
from .warehouse import Warehouse


@dataclass
class MonitorStatus:
    monitor: str
    champion: str | None = None
    champion_trained_on: str | None = None
    as_of_window: str | None = None
    should_retrain: bool | None = None
    is_blocked: bool | None = None
    reasons: str | None = None
    blockers: str | None = None
    drifting: list[str] = field(default_factory=list)
    open_alerts: dict[str, int] = field(default_factory=dict)
    last_run: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    def lines(self) -> list[str]:
        out = [f"{self.monitor}"]
        if self.champion:
            out.append(f"  champion      {self.champion} (trained on {self.champion_trained_on})")
        else:
            out.append("  champion      none registered yet")
        if self.as_of_window:
            decision = ("retrain" if self.should_retrain else "blocked" if self.is_blocked else "no retrain needed")
            out.append(f"  decision      {decision} as of {self.as_of_window}"
                       + (f"; reasons: {self.reasons}" if self.reasons else "")
                       + (f"; blocked by: {self.blockers}" if self.blockers else ""))
        out.append("  drifting      " + (", ".join(self.drifting) if self.drifting else "nothing in the latest window"))
        if self.open_alerts:
            out.append("  open alerts   " + ", ".join(f"{n} {k}" for k, n in sorted(self.open_alerts.items())))
        if self.last_run:
            out.append(f"  last run      {self.last_run['status']} at {self.last_run['finished_at']}: {self.last_run['reason']}")
        return out


def monitor_status(runner: Runner, warehouse: Warehouse, registry: Registry, monitor: Monitor) -> MonitorStatus:
    status = MonitorStatus(monitor.name)
    champion = registry.champion(monitor.name)
    if champion is not None:
        status.champion = champion.model_version
        status.champion_trained_on = f"{champion.training_start:%Y-%m-%d} to {champion.training_end:%Y-%m-%d}"
    signal = read_signal(runner, warehouse, monitor)
    if signal is not None:
        status.as_of_window = f"{pd.Timestamp(signal['as_of_window']):%Y-%m-%d %H:%M}"
        status.should_retrain, status.is_blocked = bool(signal["should_retrain"]), bool(signal["is_blocked"])
        status.reasons, status.blockers = signal["reasons"] or None, signal["blockers"] or None
        drifting = warehouse.query(
            f"""select feature_name, statistic, value, threshold from {runner.relation('driftline_alerts')}
                where monitor_name = ? and kind = 'drift' and status = 'open' and segment_name = '__all__'
                    and window_start = ?
                order by severity, feature_name, statistic""",
            [monitor.name, pd.Timestamp(signal["as_of_window"]).to_pydatetime()])
        status.drifting = sorted({f"{r.feature_name} ({r.statistic} {r.value:.3g})" for r in drifting.itertuples()})
    alerts = warehouse.query(
        f"""select severity, count(*) as n from {runner.relation('driftline_alerts')}
            where monitor_name = ? and status = 'open' group by severity""", [monitor.name])
    status.open_alerts = {str(r.severity): int(r.n) for r in alerts.itertuples()}
    runs = registry.runs(monitor.name)
    if len(runs):
        last = runs.iloc[-1]
        status.last_run = {"status": last["status"], "finished_at": str(last["finished_at"]), "reason": last["reason"]}
    return status


def status(runner: Runner, monitor: str | None = None) -> list[MonitorStatus]:
    monitors = [runner.monitor(monitor)] if monitor else runner.monitors
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        return [monitor_status(runner, warehouse, registry, m) for m in monitors]
