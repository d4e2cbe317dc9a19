"""The runner against PostgreSQL: the same extraction, registry, lock and scoring, through the dbt
profile's connection and SQL rendered by sqlglot in the postgres dialect."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

from driftline import demo, scenario
from driftline.extract import labelled_rows_sql
from driftline.retrain import Runner, retrain, retrain_monitor
from driftline.scoring import score
from driftline.warehouse import connected
from test_engines import (drop_postgres_schemas, engine_project, load_postgres,  # noqa: F401
                          postgres_server, query_postgres)

CONFIG = scenario.ScenarioConfig(days=50, rows_per_day=120, shift_day=35, broken_feed_start=60, max_label_delay_days=10)
PREFIX = "driftline_test_runner"


@pytest.fixture(scope="module")
def pg_runner_build(tmp_path_factory, postgres_server):  # noqa: F811
    sc = scenario.generate(CONFIG)
    cut = pd.Timestamp(CONFIG.start) + pd.Timedelta(days=45)
    log = sc.predictions[sc.predictions.scored_at < cut]
    waiting = sc.predictions[sc.predictions.scored_at >= cut].drop(columns=["model_version", "score", "predicted_default"])
    declaration = demo.monitor_declaration(retraining=True, label_delay_days=10)
    declaration["retraining"] = {**declaration["retraining"], "window_strategy": "fixed"}
    params = postgres_server
    drop_postgres_schemas(params, PREFIX)
    output = {"type": "postgres", "host": params["host"], "port": int(params["port"]), "user": params["user"],
              "password": params["password"], "dbname": params["dbname"], "schema": PREFIX, "threads": 4}
    project = engine_project(tmp_path_factory.mktemp("pg_runner"),
                             {"loan_predictions": declaration, "loan_outcomes": None, "loan_applications": None},
                             output, f"{PREFIX}_raw")
    load_postgres(params, f"{PREFIX}_raw", {"loan_predictions": log, "loan_outcomes": sc.labels[sc.labels.labelled_at < cut],
                                            "loan_applications": waiting})
    project.deps()
    project.build("--select", "+driftline_retrain_signals", "+driftline_alerts")
    return project, sc


def test_runner_retrains_registers_and_scores_on_postgres(pg_runner_build, postgres_server, tmp_path):  # noqa: F811
    project, sc = pg_runner_build
    runner = Runner(project, tmp_path / "artifacts")
    first = retrain(runner)[0]
    assert first.status == "initial", first.describe()
    registry = query_postgres(postgres_server, f"select * from {PREFIX}_driftline.driftline_model_registry")
    assert list(registry.model_version) == ["v1"] and registry.training_rows.iloc[0] == first.run.training_rows

    # the extraction returns the same rows on PostgreSQL as the same SQL template on DuckDB
    monitor = runner.monitor("loan_default")
    plan = first.plan
    with connected(project.profile()) as pg:
        rows = pg.query(labelled_rows_sql(monitor, plan.training_start, plan.training_end, plan.as_of, "postgres",
                                          columns=[f.name for f in monitor.features]).sql)
    labels = sc.labels[sc.labels.labelled_at <= plan.as_of].sort_values("labelled_at").drop_duplicates("loan_id", keep="last")
    expected = sc.predictions[(sc.predictions.scored_at >= plan.training_start) & (sc.predictions.scored_at < plan.training_end)]
    expected = expected.merge(labels, on="loan_id")
    assert sorted(rows.prediction_id) == sorted(expected.loan_id)
    assert dict(zip(rows.prediction_id, rows.label)) == dict(zip(expected.loan_id, expected.defaulted.astype(str)))

    scored = score(runner)[0]
    assert scored.rows == len(sc.predictions[sc.predictions.scored_at >= pd.Timestamp(CONFIG.start) + pd.Timedelta(days=45)])
    versions = query_postgres(postgres_server, f"select model_version, count(*) as n from {PREFIX}_raw.loan_predictions group by 1")
    assert dict(zip(versions.model_version, versions.n))["v1"] == scored.rows
    assert score(runner)[0].rows == 0

    forced = retrain(runner, force=True)[0]
    assert forced.status in ("promoted", "declined"), forced.describe()
    runs = query_postgres(postgres_server, f"select status from {PREFIX}_driftline.driftline_retrain_runs order by finished_at")
    assert list(runs.status) == ["initial", forced.status]
    locks = query_postgres(postgres_server, f"select count(*) as n from {PREFIX}_driftline.driftline_runner_locks")
    assert locks.n.iloc[0] == 0
    keys = query_postgres(postgres_server, f"""
        select table_name from information_schema.table_constraints
        where table_schema = '{PREFIX}_driftline' and constraint_type = 'PRIMARY KEY' order by 1""")
    assert list(keys.table_name) == ["driftline_model_registry", "driftline_runner_locks", "driftline_shadow_predictions"]

    # a declined challenger scores new rows in shadow: into the runner's table, read back by the staging model
    monitor = runner.monitor("loan_default")
    declaration = json.loads(json.dumps(monitor.declaration))
    declaration["retraining"]["min_improvement"] = 1.0
    declined = retrain_monitor(runner, dataclasses.replace(monitor, declaration=declaration), force=True)
    assert declined.status == "declined", declined.describe()
    with connected(project.profile()) as pg, pg.transaction():
        pg.execute(f"create temporary table fresh as select * from {PREFIX}_raw.loan_applications order by loan_id limit 20")
        pg.execute("update fresh set loan_id = 'S' || loan_id")
        pg.execute(f"insert into {PREFIX}_raw.loan_applications select * from fresh")
    shadowed = score(runner, shadow=True)[0]
    champion = forced.run.challenger_version if forced.status == "promoted" else "v1"
    assert shadowed.rows == 20 and shadowed.versions == (champion, declined.run.challenger_version)
    table = query_postgres(postgres_server, f"select * from {PREFIX}_driftline.driftline_shadow_predictions")
    assert len(table) == 20 and set(table.model_version) == {declined.run.challenger_version}
    project.build("--select", "stg_driftline__predictions")
    staged = query_postgres(postgres_server, f"""select model_version, count(*) as n
        from {PREFIX}_driftline.stg_driftline__predictions where prediction_id like 'S%' and segment_name = '__all__'
        group by 1 order by 1""")
    assert dict(zip(staged.model_version, staged.n)) == {shadowed.versions[0]: 20, shadowed.versions[1]: 20}
