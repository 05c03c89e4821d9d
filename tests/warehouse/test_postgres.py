"""The warehouse served on a real PostgreSQL server (`budgetwh build --target postgres`):
the same dbt models give the same marts, to the decimal, as on DuckDB; BI users read them as
budget_reader over TCP with a password and can do nothing else; the Chinese labels are the
column comments on both targets; a serving that fails leaves what was served.

Built once for the module: the real seed plus a small generated county with defects, so that
findings of every status are compared, not only clean figures."""

from __future__ import annotations

import os
import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import psycopg2
import pytest
import yaml

from dagster_project.lib.warehouse.postgres import (
    READER_PASSWORD_ENV,
    URL_ENV,
    PostgresTarget,
    ServingFailed,
    serve,
)
from synthetic.generate import generate_county
from tests.conftest import PROJECT_ROOT, SEED, SEED_KEY, build_warehouse
from tests.postgres_server import REQUIRE_ENV, NoPostgres, binaries, running_server

READER_PASSWORD = "reader-secret"
MARTS_YML = PROJECT_ROOT / "dbt" / "models" / "marts" / "_marts__models.yml"


@pytest.fixture(scope="module")
def server():
    try:
        binaries()
    except NoPostgres as missing:
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(str(missing))
        pytest.skip(str(missing))
    with running_server() as running:
        yield running


@pytest.fixture(scope="module")
def built(server, tmp_path_factory):
    """(DuckDB file, PostgreSQL server) after one `build --target postgres`."""
    root = tmp_path_factory.mktemp("both_targets")
    seed_dir = root / "raw" / Path(SEED_KEY).parent
    seed_dir.mkdir(parents=True)
    shutil.copy(SEED, seed_dir / SEED.name)
    generate_county(root / "raw", seed=11, departments=3, townships=1, years=(2024, 2025), defect_share=0.3)
    saved = {name: os.environ.get(name) for name in (URL_ENV, READER_PASSWORD_ENV)}
    os.environ[URL_ENV] = server.url()
    os.environ[READER_PASSWORD_ENV] = READER_PASSWORD
    try:
        summary = build_warehouse(root / "raw", root / "budget.duckdb", target="postgres")
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    assert summary.success, summary.render()
    assert summary.served_on and f":{server.port}/budget" in summary.served_on, summary.render()
    return root / "budget.duckdb", server


@pytest.fixture
def as_builder(built):
    connection = psycopg2.connect(built[1].url())
    yield connection
    connection.close()


@pytest.fixture
def as_reader(built):
    connection = psycopg2.connect(built[1].url("budget_reader", READER_PASSWORD))
    yield connection
    connection.close()


def _relations(con, schema: str) -> list[str]:
    return [
        row[0]
        for row in con.execute(
            "select table_name from information_schema.tables where table_schema = ? order by table_name", [schema]
        ).fetchall()
    ]


def _postgres_rows(connection, sql: str) -> tuple[list[str], list[tuple]]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [column.name for column in cursor.description], cursor.fetchall()


def _canonical(rows: list[tuple]) -> list[tuple]:
    """Rows in an order independent of the engine; values untouched (Decimal('1.50') equals
    Decimal('1.5'), and a float would never equal a Decimal written otherwise)."""
    return sorted(rows, key=lambda row: tuple((value is None, str(value)) for value in row))


@pytest.mark.parametrize("schema", ["marts", "bi"])
def test_every_mart_is_identical_on_both_targets(built, as_builder, schema):
    warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    relations = _relations(con, schema)
    assert len(relations) == 20
    _, served = _postgres_rows(
        as_builder, f"select table_name from information_schema.tables where table_schema = '{schema}'"
    )
    assert sorted(row[0] for row in served) == relations
    for relation in relations:
        result = con.execute(f'select * from {schema}."{relation}"')
        duckdb_columns = [column[0] for column in result.description]
        duckdb_rows = result.fetchall()
        postgres_columns, postgres_rows = _postgres_rows(as_builder, f'select * from {schema}."{relation}"')
        assert postgres_columns == duckdb_columns, relation
        assert len(postgres_rows) == len(duckdb_rows), relation
        assert _canonical(postgres_rows) == _canonical(duckdb_rows), relation
        for row in duckdb_rows[:50]:
            assert not any(isinstance(value, float) for value in row), f"{relation}: money is never a float"
    con.close()


def test_findings_of_every_kind_are_compared(built, as_builder):
    """The parity above covers failing and inapplicable evaluations, not only passes: the
    seed's X-5 (41.07 万元 of 项目支出 no project covers, docs/rules.md) among them."""
    _, rows = _postgres_rows(as_builder, "select distinct status from marts.fct_reconciliation_findings")
    assert {"pass", "fail", "not_applicable"} <= {row[0] for row in rows}
    _, x5 = _postgres_rows(
        as_builder,
        "select difference from marts.fct_reconciliation_findings"
        f" where rule_id = 'X-5' and disclosure_id = '{SEED_KEY}'",
    )
    assert x5 == [(Decimal("41.070000"),)]


def test_a_bi_query_as_budget_reader_gives_the_numbers_of_the_duckdb_file(built, as_reader):
    """What a BI tool does: log in over TCP as budget_reader, query the Chinese-named view."""
    warehouse, _ = built
    query = (
        'select "预算年度", sum("支出合计（万元）"), sum("基本支出（万元）") from bi.fct_department_years '
        """where "单位编号" = '500231-103' group by "预算年度" order by "预算年度" """
    )
    _, served = _postgres_rows(as_reader, query)
    con = duckdb.connect(str(warehouse), read_only=True)
    assert served == con.execute(query).fetchall()
    con.close()
    # The seed document's 2025 支出合计 and 基本支出 (T1, T2), and 2024's as its narrative implies.
    assert served[-1] == (2025, Decimal("3056.75"), Decimal("2351.73"))
    assert served[0][:2] == (2024, Decimal("4682.04"))


@pytest.mark.parametrize(
    "statement",
    [
        "select count(*) from raw.disclosures",
        "select count(*) from staging.stg_disclosures__disclosures",
        "select count(*) from intermediate.int_table_figures",
        "insert into marts.dim_years (year) values (1999)",
        "delete from marts.fct_revenues",
        "create table marts.scratch (a integer)",
        "drop view bi.fct_revenues",
    ],
)
def test_budget_reader_reads_the_marts_and_nothing_else(built, as_reader, statement):
    with as_reader.cursor() as cursor:
        cursor.execute("select count(*) from marts.fct_revenues")
        assert cursor.fetchone()[0] > 0
    as_reader.rollback()
    with as_reader.cursor() as cursor, pytest.raises(psycopg2.errors.InsufficientPrivilege):
        cursor.execute(statement)


def test_the_chinese_labels_are_the_column_comments_on_both_targets(built, as_builder):
    models = yaml.safe_load(MARTS_YML.read_text())["models"]
    labels = {
        (model["name"], column["name"]): column["meta"]["label_zh"] for model in models for column in model["columns"]
    }
    warehouse, _ = built
    con = duckdb.connect(str(warehouse), read_only=True)
    in_duckdb = {
        (table, column): comment
        for table, column, comment in con.execute(
            "select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'"
        ).fetchall()
    }
    bi_columns = con.execute(
        "select column_name from duckdb_columns() where schema_name = 'bi' and table_name = 'fct_department_years'"
        " order by column_index"
    ).fetchall()
    con.close()
    # Every mart column has its label, and it is the column's comment.
    assert in_duckdb == labels
    _, rows = _postgres_rows(
        as_builder,
        "select c.relname, a.attname, col_description(c.oid, a.attnum) from pg_attribute a"
        " join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace"
        " where n.nspname = 'marts' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped",
    )
    assert {(table, column): comment for table, column, comment in rows} == labels
    ordered = [
        column["name"] for model in models if model["name"] == "fct_department_years" for column in model["columns"]
    ]
    assert [row[0] for row in bi_columns] == [labels[("fct_department_years", name)] for name in ordered]
    assert "支出合计（万元）" in [row[0] for row in bi_columns]


def test_a_failed_serving_leaves_what_was_served(built, as_builder, tmp_path):
    """A published file whose raw layer lacks a table: dbt fails on PostgreSQL, serve says so,
    and BI users still read the warehouse served before, whole."""
    warehouse, server = built
    count = "select count(*) from marts.fct_projects"
    _, before = _postgres_rows(as_builder, count)
    broken = tmp_path / "broken.duckdb"
    shutil.copy(warehouse, broken)
    con = duckdb.connect(str(broken))
    con.execute("drop table raw.projects")
    con.close()
    with pytest.raises(ServingFailed, match="dbt build on PostgreSQL failed; the served warehouse is unchanged"):
        serve(broken, PostgresTarget.from_environment({URL_ENV: server.url()}))
    as_builder.rollback()
    _, after = _postgres_rows(as_builder, count)
    assert after == before and before[0][0] > 0


def test_an_unreachable_server_is_named(tmp_path):
    with pytest.raises(ServingFailed, match=r"cannot connect to PostgreSQL at postgres@127\.0\.0\.1:1/budget"):
        serve(
            tmp_path / "none.duckdb",
            PostgresTarget.from_environment({URL_ENV: "postgresql://postgres@127.0.0.1:1/budget"}),
        )
