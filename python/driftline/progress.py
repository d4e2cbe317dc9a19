"""Progress, logging and machine-readable results for driftline's commands.

Every long-running command (``driftline demo``, ``driftline report``, and the runner's
``retrain``, ``score`` and ``backtest``) reports the same way, so a scheduler's log reads alike
whatever ran:

* **progress** goes to **stderr** through the standard :mod:`logging` module, on the
  ``driftline`` logger (children such as ``driftline.report`` inherit its handler), one line per
  step start and end with the elapsed seconds::

      driftline 02:41:07 ▸ dbt build
      driftline 02:42:04 ✓ dbt build (57.3 s)

* the **result** goes to **stdout**: readable text, or with ``--json`` one JSON document, so
  ``driftline report --json | jq .out`` works and progress never pollutes it;
* ``--quiet`` silences progress (warnings and errors still print).

Use it from a command::

    from .progress import emit_result, output_options, step

    @main.command()
    @output_options                      # adds --quiet and --json, configures logging
    def retrain(quiet: bool, as_json: bool) -> None:
        with step("extract training window") as s:
            frame = extract(...)
            s.detail = f"{len(frame):,} rows"      # appended to the end line
        with step("fit challenger"):
            model = fit(frame)
        emit_result({"status": "promoted", "version": "v3"}, as_json, text="promoted v3")

or from library code, where no handler is configured and nothing prints unless the caller
set up logging (``configure_logging()`` or its own ``logging.basicConfig``). ``step`` also
records its duration (``s.seconds``) for a result document. A step that raises logs
``✗ name failed after N s`` and re-raises.
"""

from __future__ import annotations

import functools
import json
import logging
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Callable, Iterator, TextIO

LOGGER_NAME = "driftline"
logger = logging.getLogger(LOGGER_NAME)

_HANDLER_FLAG = "_driftline_progress_handler"


class _Formatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("driftline %(asctime)s %(level_prefix)s%(message)s", datefmt="%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        record.level_prefix = f"{record.levelname.lower()}: " if record.levelno >= logging.WARNING else ""
        return super().format(record)


class _StderrHandler(logging.StreamHandler):
    """Writes to whatever `sys.stderr` is at the time of each record (test runners swap it)."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr
        super().emit(record)


def configure_logging(quiet: bool = False, verbose: bool = False, stream: TextIO | None = None) -> logging.Logger:
    """Send the ``driftline`` logger to stderr (or ``stream``): INFO, WARNING with ``quiet``, DEBUG with ``verbose``.

    Idempotent: calling it again replaces driftline's own handler rather than adding a second one.
    """
    for handler in list(logger.handlers):
        if getattr(handler, _HANDLER_FLAG, False):
            logger.removeHandler(handler)
    handler = logging.StreamHandler(stream) if stream is not None else _StderrHandler()
    setattr(handler, _HANDLER_FLAG, True)
    handler.setFormatter(_Formatter())
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING if quiet else (logging.DEBUG if verbose else logging.INFO))
    logger.propagate = False
    return logger


@dataclass
class Step:
    name: str
    started: float
    seconds: float | None = None
    detail: str | None = None
    ok: bool | None = None


@contextmanager
def step(name: str, log: logging.Logger | None = None) -> Iterator[Step]:
    """Log the start and end of a unit of work with its duration in seconds."""
    log = log or logger
    current = Step(name, time.perf_counter())
    log.info("▸ %s", name)
    try:
        yield current
    except BaseException:
        current.seconds = time.perf_counter() - current.started
        current.ok = False
        log.error("✗ %s failed after %.1f s", name, current.seconds)
        raise
    current.seconds = time.perf_counter() - current.started
    current.ok = True
    suffix = f": {current.detail}" if current.detail else ""
    log.info("✓ %s (%.1f s)%s", name, current.seconds, suffix)


def emit_result(result: Any, as_json: bool, text: str | None = None, out: TextIO | None = None) -> None:
    """Print the command's result on stdout: one JSON document with ``as_json``, else ``text`` (if any)."""
    out = out if out is not None else sys.stdout
    if as_json:
        out.write(json.dumps(result, default=_json_default, indent=2, sort_keys=False) + "\n")
    elif text:
        out.write(text.rstrip("\n") + "\n")
    out.flush()


def _json_default(value: Any) -> Any:
    """Timestamps, paths, numpy scalars and the like as JSON-friendly values."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy / pandas scalars
        return value.item()
    return str(value)


def output_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """A click decorator: ``--quiet/-q`` and ``--json`` (passed as ``quiet`` and ``as_json``); configures logging."""
    import click

    @click.option("--json", "as_json", is_flag=True, default=False,
                  help="Print a machine-readable JSON result on stdout (progress stays on stderr).")
    @click.option("--quiet", "-q", is_flag=True, default=False, help="No progress on stderr; only warnings and errors.")
    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        configure_logging(quiet=kwargs["quiet"])
        return command(*args, **kwargs)

    return wrapper
