"""Moving the champion by hand: `driftline models promote VERSION` and `rollback`.

Both are alias moves in the append-only event log, taken under the monitor's runner lock so
they never interleave with a retrain. The dbt package follows the champion on its next build.
"""

from __future__ import annotations

import uuid
from datetime import timedelta

import pandas as pd

from . import artifacts
from .registry import Event, Registry, RegistryError
from .retrain import Runner


def _locked_move(runner: Runner, monitor: str, events: list[Event]) -> None:
    run_id = "manual-" + uuid.uuid4().hex[:10]
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        registry.ensure_tables()
        registry.acquire_lock(monitor, run_id)
        try:
            with warehouse.transaction():
                at = registry.next_event_time(monitor)
                for offset, event in enumerate(events):  # distinct times keep the order readable
                    registry.add_event(event, at + timedelta(microseconds=offset))
        finally:
            registry.release_lock(monitor, run_id)


def promote(runner: Runner, monitor: str, version: str, reason: str = "promoted by hand") -> str:
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        target = registry.version(monitor, version)
        artifacts.load(target.artifact_uri, target.artifact_sha256)  # never promote what cannot be loaded
        champion = registry.champion(monitor)
    if champion is not None and champion.model_version == version:
        raise RegistryError(f"{version} is already the champion of '{monitor}'")
    events = ([Event(monitor, champion.model_version, "archived", f"replaced by {version} by hand")] if champion else [])
    _locked_move(runner, monitor, events + [Event(monitor, version, "champion", reason)])
    return f"{monitor}: {version} is now the champion" + (f" (was {champion.model_version})" if champion else "")


def previous_champion(events: pd.DataFrame, current: str) -> str | None:
    """The version that was champion just before the current one took over."""
    champions = [v for v in events[events["alias"] == "champion"]["model_version"]]
    while champions and champions[-1] == current:
        champions.pop()
    return champions[-1] if champions else None


def rollback(runner: Runner, monitor: str, reason: str = "rolled back by hand") -> str:
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        champion = registry.champion(monitor)
        if champion is None:
            raise RegistryError(f"monitor '{monitor}' has no champion to roll back")
        previous = previous_champion(registry.events(monitor), champion.model_version)
        if previous is None:
            raise RegistryError(f"monitor '{monitor}': {champion.model_version} is its first champion; "
                                "there is nothing to roll back to")
        target = registry.version(monitor, previous)
        artifacts.load(target.artifact_uri, target.artifact_sha256)
    _locked_move(runner, monitor, [Event(monitor, champion.model_version, "rollback", reason),
                                   Event(monitor, previous, "champion", f"rollback from {champion.model_version}")])
    return f"{monitor}: rolled back from {champion.model_version} to {previous}"


__all__ = ["promote", "rollback", "previous_champion", "Registry"]
