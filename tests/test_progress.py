"""driftline.progress: steps with timings on stderr, --quiet, and --json results on stdout."""

from __future__ import annotations

import io
import json
import logging
import re

import click
import pandas as pd
import pytest
from click.testing import CliRunner

from driftline.progress import configure_logging, emit_result, output_options, step


@pytest.fixture
def stream():
    out = io.StringIO()
    configure_logging(stream=out)
    yield out
    configure_logging()  # back to stderr, one handler


def test_step_logs_start_and_end_with_seconds_and_detail(stream):
    with step("dbt build") as s:
        s.detail = "30 models"
    lines = stream.getvalue().splitlines()
    assert re.fullmatch(r"driftline \d\d:\d\d:\d\d ▸ dbt build", lines[0])
    assert re.fullmatch(r"driftline \d\d:\d\d:\d\d ✓ dbt build \(\d+\.\d s\): 30 models", lines[1])
    assert s.ok is True and s.seconds is not None and s.seconds >= 0


def test_failed_step_logs_and_reraises(stream):
    with pytest.raises(ValueError):
        with step("fit challenger") as s:
            raise ValueError("bad data")
    assert s.ok is False
    assert re.search(r"error: ✗ fit challenger failed after \d+\.\d s", stream.getvalue())


def test_quiet_keeps_only_warnings_and_one_handler():
    out = io.StringIO()
    configure_logging(quiet=True, stream=out)
    configure_logging(quiet=True, stream=out)  # idempotent: still one handler
    with step("silent"):
        logging.getLogger("driftline.report").warning("disk almost full")
    assert out.getvalue().count("disk almost full") == 1
    assert "silent" not in out.getvalue()
    assert sum(getattr(h, "_driftline_progress_handler", False) for h in logging.getLogger("driftline").handlers) == 1
    configure_logging()


def test_emit_result_json_and_text():
    out = io.StringIO()
    emit_result({"at": pd.Timestamp("2026-04-30"), "n": pd.Series([3]).iloc[0], "ok": True}, as_json=True, out=out)
    assert json.loads(out.getvalue()) == {"at": "2026-04-30T00:00:00", "n": 3, "ok": True}
    out = io.StringIO()
    emit_result({"n": 1}, as_json=False, text="done\n", out=out)
    assert out.getvalue() == "done\n"


def test_output_options_on_a_command():
    @click.command()
    @output_options
    def job(quiet: bool, as_json: bool) -> None:
        with step("work"):
            pass
        emit_result({"status": "ok"}, as_json, text="all good")

    result = CliRunner().invoke(job, ["--json"])
    assert result.exit_code == 0 and json.loads(result.stdout) == {"status": "ok"}
    assert "✓ work" in result.stderr
    result = CliRunner().invoke(job, ["-q"])
    assert result.stdout == "all good\n" and result.stderr == ""
    configure_logging()
