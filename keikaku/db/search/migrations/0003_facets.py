"""Filter tokens (``facets``) in the index rows, and in both SQLite FTS tables so that filtered and ranked
queries are answered from the full-text indexes alone (top-20 without sorting every match)."""

from django.db import migrations, models

FTS_TABLES = {
    "search_fts": ("title, body, facets", "tokenize='trigram'"),
    "search_fts_bigram": ("title_grams, body_grams, facets", "tokenize='unicode61 remove_diacritics 0', prefix='1'"),
}


def _sqlite_fts(columns: dict[str, tuple[str, str]]) -> list[str]:
    sql = ["DROP TRIGGER IF EXISTS search_doc_au", "DROP TRIGGER IF EXISTS search_doc_ad", "DROP TRIGGER IF EXISTS search_doc_ai"]
    for table, (cols, options) in columns.items():
        sql.append(f"DROP TABLE IF EXISTS {table}")
        sql.append(
            f"CREATE VIRTUAL TABLE {table} USING fts5({cols}, content='search_measuredocument', "
            f"content_rowid='measure_id', {options})"
        )
    ins = "".join(
        f"INSERT INTO {t}(rowid, {c}) VALUES (new.measure_id, {', '.join('new.' + x.strip() for x in c.split(','))});"
        for t, (c, _) in columns.items()
    )
    dele = "".join(
        f"INSERT INTO {t}({t}, rowid, {c}) VALUES ('delete', old.measure_id, {', '.join('old.' + x.strip() for x in c.split(','))});"
        for t, (c, _) in columns.items()
    )
    sql.append(f"CREATE TRIGGER search_doc_ai AFTER INSERT ON search_measuredocument BEGIN {ins} END")
    sql.append(f"CREATE TRIGGER search_doc_ad AFTER DELETE ON search_measuredocument BEGIN {dele} END")
    sql.append(f"CREATE TRIGGER search_doc_au AFTER UPDATE ON search_measuredocument BEGIN {dele}{ins} END")
    return sql


def forwards(apps, schema_editor) -> None:
    from keikaku.core.facets import facets_for

    Doc = apps.get_model("search", "MeasureDocument")
    batch = []
    for d in Doc.objects.all().iterator(chunk_size=2000):
        d.facets = facets_for(
            plan_id=d.plan_id,
            prefecture=d.prefecture,
            pillars=d.pillars.split(),
            priority_areas=[a for a in d.priority_areas.split("|") if a],
            years=[int(y) for y in d.years.split("|") if y.isdigit()],
            period_start=d.period_start,
            period_end=d.period_end,
        )
        batch.append(d)
        if len(batch) >= 2000:
            Doc.objects.bulk_update(batch, ["facets"])
            batch = []
    if batch:
        Doc.objects.bulk_update(batch, ["facets"])
    if schema_editor.connection.vendor == "sqlite":
        for sql in _sqlite_fts(FTS_TABLES):
            schema_editor.execute(sql)
        for table in FTS_TABLES:
            schema_editor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


def backwards(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        old = {
            "search_fts": ("title, body", "tokenize='trigram'"),
            "search_fts_bigram": ("title_grams, body_grams", "tokenize='unicode61 remove_diacritics 0', prefix='1'"),
        }
        for sql in _sqlite_fts(old):
            schema_editor.execute(sql)
        for table in old:
            schema_editor.execute(f"INSERT INTO {table}({table}) VALUES ('rebuild')")


class Migration(migrations.Migration):
    dependencies = [("search", "0002_fulltext")]

    operations = [
        migrations.AddField(
            model_name="measuredocument", name="facets", field=models.TextField(blank=True, default="")
        ),
        migrations.RunPython(forwards, backwards),
    ]
