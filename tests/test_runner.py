"""The retrain runner end to end: real dbt builds, real scikit-learn training, the real CLI.

One session fixture runs the closed-loop demo at a small size; every other test works on its own
copy of that project (warehouse, manifest and artifacts), so they can write to the registry freely.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from driftline import demo, report, scenario
from driftline.cli import main as cli
from driftline.project import DbtProject
from driftline.registry import Event, Registry
from driftline.retrain import Runner, decide, read_signal, retrain_monitor
from driftline.warehouse import connected

TESTS = Path(__file__).parent
LOOP = scenario.ScenarioConfig(rows_per_day=150)


@pytest.fixture(scope="session")
def loop_build(tmp_path_factory):
    directory = tmp_path_factory.mktemp("loop")
    lines: list[str] = []
    result = demo.run_demo(directory, LOOP, echo=lines.append)
    return result, lines


def copy_project(source: Path, target: Path) -> DbtProject:
    """A private copy of a built project: warehouse, manifest, artifacts (registry paths rewritten)."""
    shutil.copytree(source, target, symlinks=True, ignore=shutil.ignore_patterns("logs"))
    profiles = yaml.safe_load((target / "profiles.yml").read_text())
    profiles[demo.PROJECT_NAME]["outputs"]["dev"]["path"] = str(target / "warehouse.duckdb")
    (target / "profiles.yml").write_text(yaml.safe_dump(profiles))
    with duckdb.connect(str(target / "warehouse.duckdb")) as con:
        con.execute("update main_driftline.driftline_model_registry set artifact_uri = replace(artifact_uri, ?, ?)",
                    [str(source), str(target)])
    return DbtProject(target, profiles_dir=target)


def query(project: DbtProject, sql: str, params=None) -> pd.DataFrame:
    with duckdb.connect(str(project.project_dir / "warehouse.duckdb")) as con:
        return con.execute(sql, params or []).df()


def registry_state(project: DbtProject) -> dict[str, pd.DataFrame]:
    tables = ["driftline_model_registry", "driftline_model_events", "driftline_retrain_runs"]
    return {t: query(project, f"select * from main_driftline.{t} order by 1, 2") for t in tables}


def champion_of(project: DbtProject) -> str:
    with connected(project.profile(), project.project_dir) as warehouse:
        return Registry(warehouse, "main_driftline").champion("loan_default").model_version


def set_estimator(project: DbtProject, import_path: str) -> None:
    """Point the copy's declaration at another recipe and re-parse, as a user would."""
    sources = project.project_dir / "models" / "sources.yml"
    data = yaml.safe_load(sources.read_text())
    data["sources"][0]["tables"][0]["config"]["meta"]["driftline"]["retraining"]["estimator"] = import_path
    sources.write_text(yaml.safe_dump(data, sort_keys=False))
    project.parse()


# ---------------------------------------------------------------------------
# The loop
# ---------------------------------------------------------------------------


def test_the_demo_loop_closes(loop_build):
    result, lines = loop_build
    steps = {step.day: step for step in result.steps}
    project = result.project
    runs = query(project, "select * from main_driftline.driftline_retrain_runs order by as_of, started_at")
    by_day = {(pd.Timestamp(r.as_of) - pd.Timestamp(LOOP.start)).days: r for r in runs.itertuples()}

    # day 30: no champion, so the first model is trained and registered
    assert by_day[30].status == "initial" and steps[30].champion == "v1"
    # day 43: the broken feed asks for a retrain (income drifts) and blocks it: no training on broken data
    assert by_day[43].status == "blocked" and "data_incident" in by_day[43].reason
    assert steps[43].champion == "v1"
    # after the shift the runner retrains and promotes only on a measured win
    promoted = runs[runs.status == "promoted"]
    assert len(promoted) >= 1
    assert (promoted.improvement_low > 0).all() and (promoted.as_of >= pd.Timestamp(LOOP.start) + pd.Timedelta(days=70)).all()
    for run in runs[runs.status.isin(["promoted", "declined"])].itertuples():
        assert run.holdout_start >= run.training_end  # the holdout is never trained on
        assert run.test_name == "paired_bootstrap" and run.champion_metric > 0

    # the champion's training window became the drift reference
    champion = query(project, """
        select r.* from main_driftline.driftline_model_registry r
        join (select model_version from main_driftline.driftline_model_events where alias = 'champion'
              order by event_at desc limit 1) c using (model_version)""").iloc[0]
    reference = query(project, """select distinct reference_start, reference_end
        from main_driftline.driftline_reference_profiles where monitor_name = 'loan_default'""")
    assert len(reference) == 1
    assert pd.Timestamp(reference.reference_start.iloc[0]) == pd.Timestamp(champion.training_start)
    assert pd.Timestamp(reference.reference_end.iloc[0]) == pd.Timestamp(champion.training_end)

    # every champion scored the log from the step after its promotion
    versions = set(query(project, "select distinct model_version from raw.loan_predictions").model_version)
    last_day = pd.Timestamp(LOOP.start) + pd.Timedelta(days=max(steps))
    scoring = promoted[promoted.as_of < last_day].challenger_version
    assert versions == {"v0", "v1", *scoring}

    # and the drift alerts of the post-shift world have cleared against the new reference
    latest = query(project, """select count(*) as n from main_driftline.driftline_alerts
        where monitor_name = 'loan_default' and kind = 'drift' and severity = 'critical' and status = 'open'
          and segment_name = '__all__'
          and window_start = (select max(window_start) from main_driftline.driftline_alerts)""")
    assert latest.n.iloc[0] == 0
    # history before the moved reference raises nothing new; what it raised before the move is resolved
    stale = query(project, """select alerts.kind, alerts.status, count(*) as n from main_driftline.driftline_alerts as alerts
        inner join main_driftline.int_driftline__references as refs on refs.monitor_name = alerts.monitor_name
        where alerts.kind in ('drift', 'data_quality', 'volume') and alerts.window_start < refs.reference_start
        group by 1, 2""")
    assert set(stale.status) <= {"resolved"}, stale
    assert any(line.startswith("day  43") for line in lines[0].splitlines())


# ---------------------------------------------------------------------------
# Decisions, dry runs, artifacts
# ---------------------------------------------------------------------------


def test_dry_run_explains_and_changes_nothing(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    before = registry_state(project)
    result = CliRunner().invoke(cli, ["retrain", "--dry-run", "--force", "--project-dir", str(project.project_dir)])
    assert result.exit_code == 0, result.output
    assert "would retrain" in result.output and "judge on 7 mature window(s)" in result.output
    after = registry_state(project)
    for table in before:
        pd.testing.assert_frame_equal(before[table], after[table])


def test_consumed_alerts_never_trigger_a_second_retrain(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    runner = Runner(project)
    monitor = runner.monitor("loan_default")
    with runner.connect() as warehouse:
        registry = runner.registry(warehouse)
        signal_row = read_signal(runner, warehouse, monitor).copy()
        consumed = query(project, "select alert_id from main_driftline.driftline_consumed_alerts")
        assert len(consumed) > 0  # every run that trained consumed its triggering alerts
        signal_row["should_retrain"], signal_row["is_blocked"] = True, False
        signal_row["reasons"] = "drift_sustained"
        signal_row["drift_alert_ids"] = ",".join(consumed.alert_id[:3])
        signal_row["performance_alert_ids"] = None
        decision = decide(monitor, signal_row, registry, registry.champion("loan_default"), force=False)
    assert not decision.act and "already acted on" in decision.reason


def test_a_tampered_artifact_is_refused(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    with duckdb.connect(str(project.project_dir / "warehouse.duckdb")) as con:
        uri = con.execute("""select r.artifact_uri from main_driftline.driftline_model_registry r
            join (select model_version from main_driftline.driftline_model_events where alias = 'champion'
                  order by event_at desc limit 1) c using (model_version)""").fetchone()[0]
    Path(uri).write_bytes(Path(uri).read_bytes() + b"tampered")
    before = champion_of(project)
    result = CliRunner().invoke(cli, ["retrain", "--force", "--project-dir", str(project.project_dir)])
    assert result.exit_code == 1 and "refusing to load it" in result.output
    assert champion_of(project) == before
    assert query(project, "select status from main_driftline.driftline_retrain_runs order by finished_at desc limit 1").status[0] == "failed"
    scored = CliRunner().invoke(cli, ["score", "--project-dir", str(project.project_dir)])
    assert scored.exit_code == 2 and "refusing to load it" in scored.output


# ---------------------------------------------------------------------------
# Strategies and recipes
# ---------------------------------------------------------------------------


def _with_retraining(runner: Runner, **changes):
    monitor = runner.monitor("loan_default")
    declaration = json.loads(json.dumps(monitor.declaration))
    declaration["retraining"].update(changes)
    return dataclasses.replace(monitor, declaration=declaration)


@pytest.mark.parametrize("changes, status, detail", [
    ({"estimator": "no_such_module:pipeline"}, "failed", "cannot import module 'no_such_module'"),
    ({"estimator": "recipes:not_an_estimator"}, "failed", "not an unfitted scikit-learn estimator"),
    ({"estimator": "recipes:knn", "window_strategy": "decay", "half_life_days": 7}, "failed", "takes no sample_weight"),
    ({"window_strategy": "fixed", "window_days": 90}, "blocked", "data-incident windows"),
])
def test_bad_recipes_and_gates_are_recorded_with_their_reason(loop_build, tmp_path, changes, status, detail):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    runner = Runner(project)
    before = champion_of(project)
    outcome = retrain_monitor(runner, _with_retraining(runner, **changes), force=True)
    assert outcome.status == status and detail in outcome.run.reason
    assert champion_of(project) == before
    assert query(project, "select count(*) as n from main_driftline.driftline_runner_locks").n[0] == 0


def test_window_strategies_train_and_record_what_they_did(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    runner = Runner(project)
    dynamic = retrain_monitor(runner, _with_retraining(runner, window_strategy="dynamic",
                                                       candidate_window_days=[7, 14, 28]), force=True)
    assert dynamic.status in ("promoted", "declined"), dynamic.run.reason
    details = json.loads(dynamic.run.details)
    assert details["candidates"]["chosen_days"] in (7, 14, 28) and set(details["candidates"]["scores"]) == {"7", "14", "28"}

    decay = retrain_monitor(runner, _with_retraining(runner, window_strategy="decay", half_life_days=3), force=True)
    assert decay.status in ("promoted", "declined") and json.loads(decay.run.details)["half_life_days"] == 3

    # incremental: a partial_fit champion continues on the rows since its training window
    set_estimator(project, "recipes:sgd")
    runner = Runner(project)
    # the first SGD model ends its training a week earlier (a 14-window holdout), leaving new rows to learn from
    first = retrain_monitor(runner, _with_retraining(runner, holdout_windows=14), force=True)
    assert first.status in ("promoted", "declined"), first.run.reason
    if first.status == "declined":
        CliRunner().invoke(cli, ["models", "promote", "--monitor", "loan_default", first.run.challenger_version,
                                 "--project-dir", str(project.project_dir)])
    incremental = retrain_monitor(runner, _with_retraining(runner, window_strategy="incremental"), force=True)
    assert incremental.status in ("promoted", "declined"), incremental.run.reason
    assert json.loads(incremental.run.details)["method"] == "partial_fit"


# ---------------------------------------------------------------------------
# Safety: a killed run, two runners at once
# ---------------------------------------------------------------------------


def _cli_process(project: DbtProject, marker: Path, seconds: float, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get("PYTHONPATH", "")]),
           "DRIFTLINE_TEST_FIT_SECONDS": str(seconds), "DRIFTLINE_TEST_FIT_MARKER": str(marker)}
    return subprocess.Popen([sys.executable, "-m", "driftline.cli", "retrain", "--project-dir", str(project.project_dir),
                             *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(path: Path, lines: int, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists() and len(path.read_text().split()) >= lines:
            return
        time.sleep(0.2)
    raise AssertionError(f"no training started within {timeout} s")


def test_a_run_killed_mid_training_leaves_the_registry_consistent(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    set_estimator(project, "recipes:slow")
    before = registry_state(project)
    marker = tmp_path / "fits"
    process = _cli_process(project, marker, 120, "--force")
    _wait_for(marker, 1)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)

    after = registry_state(project)
    for table in before:  # no version, no alias move, no run row: as if the run never happened
        pd.testing.assert_frame_equal(before[table], after[table])
    locks = query(project, "select * from main_driftline.driftline_runner_locks")
    assert len(locks) == 1 and locks.holder[0].endswith(f":{process.pid}")

    # the next run sees the holder is gone, takes the lock over and finishes
    rerun = _cli_process(project, marker, 0, "--force")
    output, _ = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, output
    assert "took over the lock" in output
    runs = query(project, "select status from main_driftline.driftline_retrain_runs order by finished_at desc limit 1")
    assert runs.status[0] in ("promoted", "declined")
    assert query(project, "select count(*) as n from main_driftline.driftline_runner_locks").n[0] == 0


def test_two_runners_never_retrain_the_same_monitor_at_once(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    set_estimator(project, "recipes:slow")
    versions_before = len(query(project, "select * from main_driftline.driftline_model_registry"))
    marker = tmp_path / "fits"
    first = _cli_process(project, marker, 8, "--force")
    second = _cli_process(project, marker, 8, "--force")
    outputs = [p.communicate(timeout=300)[0] for p in (first, second)]
    assert all(p.returncode == 0 for p in (first, second)), outputs
    runs = query(project, "select status, reason from main_driftline.driftline_retrain_runs order by finished_at desc limit 2")
    assert sorted(runs.status) in (["declined", "skipped"], ["promoted", "skipped"]), runs
    assert "is being retrained by run" in runs[runs.status == "skipped"].reason.iloc[0]
    assert len(query(project, "select * from main_driftline.driftline_model_registry")) == versions_before + 1
    assert len(marker.read_text().split()) == 1  # only one process ever trained


# ---------------------------------------------------------------------------
# Scoring, the registry commands, status
# ---------------------------------------------------------------------------


def test_score_appends_new_rows_once_with_the_champion(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    champion = champion_of(project)
    with duckdb.connect(str(project.project_dir / "warehouse.duckdb")) as con:
        con.execute("""insert into raw.loan_applications
            select * replace ('N' || loan_id as loan_id, scored_at + interval 1 day as scored_at)
            from raw.loan_applications order by scored_at desc limit 25""")
        con.execute("update raw.loan_applications set income = 'inf'::double where loan_id = (select min(loan_id) from raw.loan_applications where loan_id like 'N%')")
    result = CliRunner().invoke(cli, ["score", "--json", "--project-dir", str(project.project_dir)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["rows"] == 25
    scored = query(project, "select * from raw.loan_predictions where loan_id like 'N%'")
    assert len(scored) == 25 and set(scored.model_version) == {champion}
    assert scored.score.between(0, 1).all() and set(scored.predicted_default) <= {0, 1}
    again = CliRunner().invoke(cli, ["score", "--json", "--project-dir", str(project.project_dir)])
    assert json.loads(again.stdout)[0]["rows"] == 0

    # a declined challenger (no model can win by 1.0 AUC) scores the next rows in shadow, under its own version
    runner = Runner(project)
    declined = retrain_monitor(runner, _with_retraining(runner, min_improvement=1.0), force=True)
    assert declined.status == "declined" and "needs > 1" in declined.run.reason
    with duckdb.connect(str(project.project_dir / "warehouse.duckdb")) as con:
        con.execute("""insert into raw.loan_applications
            select * replace ('S' || loan_id as loan_id) from raw.loan_applications where loan_id like 'N%'""")
    shadow = CliRunner().invoke(cli, ["score", "--shadow", "--json", "--project-dir", str(project.project_dir)])
    challenger = declined.run.challenger_version
    assert json.loads(shadow.stdout)[0]["versions"] == [champion, challenger]
    # the log records what was served; the challenger's outputs go to the runner's shadow table
    served = query(project, "select model_version, count(*) as n from raw.loan_predictions where loan_id like 'S%' group by 1")
    assert dict(zip(served.model_version, served.n)) == {champion: 25}
    shadowed = query(project, "select * from main_driftline.driftline_shadow_predictions")
    assert len(shadowed) == 25 and set(shadowed.model_version) == {challenger}
    assert set(shadowed.prediction) <= {"0", "1"} and shadowed.score.between(0, 1).all()

    project.build()
    staged = query(project, """select model_version, count(*) as n from main_driftline.stg_driftline__predictions
        where prediction_id like 'S%' and segment_name = '__all__' group by 1""")
    assert dict(zip(staged.model_version, staged.n)) == {champion: 25, challenger: 25}
    window = query(project, """select max(window_start) as w from main_driftline.driftline_window_profiles""").w[0]
    logged = query(project, "select count(*) as n from raw.loan_predictions where date_trunc('day', scored_at) = ?", [window]).n[0]
    profiled = query(project, """select sum(n_rows) as n from main_driftline.driftline_window_profiles
        where window_start = ? and segment_name = '__all__' and feature_name = 'income'""", [window]).n[0]
    assert profiled == logged  # shadow predictions are not counted twice in drift and volume


def test_models_list_promote_and_rollback(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    args = ["--project-dir", str(project.project_dir)]
    listed = CliRunner().invoke(cli, ["models", "list", "--json", *args])
    versions = json.loads(listed.stdout)
    assert [v["model_version"] for v in versions] == [f"v{i}" for i in range(1, len(versions) + 1)]
    current = champion_of(project)
    assert [v["alias"] for v in versions if v["model_version"] == current] == ["champion"]

    rolled = CliRunner().invoke(cli, ["models", "rollback", "--monitor", "loan_default", *args])
    assert rolled.exit_code == 0, rolled.output
    previous = champion_of(project)
    assert previous != current and f"rolled back from {current} to {previous}" in rolled.output
    promoted = CliRunner().invoke(cli, ["models", "promote", "--monitor", "loan_default", current, *args])
    assert promoted.exit_code == 0 and champion_of(project) == current
    events = query(project, "select alias, model_version from main_driftline.driftline_model_events order by event_at")
    assert list(events.tail(4).itertuples(index=False, name=None)) == [
        ("rollback", current), ("champion", previous), ("archived", previous), ("champion", current)]
    again = CliRunner().invoke(cli, ["models", "promote", "--monitor", "loan_default", current, *args])
    assert again.exit_code == 2 and "already the champion" in again.output


def test_alias_moves_within_one_second_keep_their_order(tmp_path):
    # times are kept to the second; a rollback and a promotion by hand can land in the same one
    with connected({"type": "duckdb", "path": str(tmp_path / "registry.duckdb")}) as warehouse:
        registry = Registry(warehouse, "driftline")
        registry.ensure_tables()
        moves = [f"v{i % 3 + 1}" for i in range(30)]
        for version in moves:
            registry.add_event(Event("m", version, "champion", "by hand"), registry.next_event_time("m"))
        assert list(registry.events("m")["model_version"]) == moves


def test_a_registry_schema_set_in_dbt_project_yml_is_shared_by_runner_and_package(loop_build, tmp_path):
    # the var lives where dbt users put vars, not on the runner's command line: both sides must read it
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    settings = yaml.safe_load((project.project_dir / "dbt_project.yml").read_text())
    settings["vars"] = {"driftline": {"driftline_registry_schema": "ops_registry"}}
    (project.project_dir / "dbt_project.yml").write_text(yaml.safe_dump(settings))
    project.build()
    args = ["--project-dir", str(project.project_dir)]

    trained = CliRunner().invoke(cli, ["retrain", "--force", "--json", *args])
    assert trained.exit_code == 0, trained.output
    assert json.loads(trained.stdout)[0]["status"] == "initial"  # a fresh registry in the configured schema
    version = query(project, "select model_version from ops_registry.driftline_model_registry").model_version
    assert list(version) == ["v1"]

    project.build()  # the package follows that champion: its training window becomes the reference
    reference = query(project, "select reference_method, reference_id from main_driftline.int_driftline__references")
    assert reference.reference_method[0] == "champion" and "v1" in reference.reference_id[0]
    listed = CliRunner().invoke(cli, ["models", "list", "--json", *args])
    assert [(v["model_version"], v["alias"]) for v in json.loads(listed.stdout)] == [("v1", "champion")]
    runner = Runner(project)
    with runner.connect() as warehouse:  # the report reads the runner's tables from there too
        shown = report.load_monitor_data(warehouse, runner.manifest(), runner.monitor("loan_default"))
    assert shown.runner_schema == "ops_registry"
    assert list(shown.runner["driftline_model_registry"].model_version) == ["v1"]


def test_status_names_champion_drift_and_blockers(loop_build, tmp_path):
    project = copy_project(loop_build[0].project.project_dir, tmp_path / "p")
    result = CliRunner().invoke(cli, ["status", "--json", "--project-dir", str(project.project_dir)])
    assert result.exit_code == 0, result.output
    status = json.loads(result.stdout)[0]
    assert status["monitor"] == "loan_default" and status["champion"] == champion_of(project)
    assert status["last_run"]["status"] in ("promoted", "declined", "initial", "blocked", "skipped")
    text = CliRunner().invoke(cli, ["status", "--project-dir", str(project.project_dir)]).output
    assert "champion" in text and "decision" in text and "drifting" in text
