"""Full-text indexes, per database.

SQLite: two external-content FTS5 tables over search_measuredocument, kept in sync by triggers —
``search_fts`` (trigram tokenizer: substring search for queries of 3+ characters) and ``search_fts_bigram``
(unicode61 over the precomputed bigram columns: 1–2-character queries, which trigram cannot find).
PostgreSQL: pg_trgm GIN indexes on the normalised title and body (pg_trgm needs a UTF-8 database ctype to
see Japanese characters — C.UTF-8 or ja_JP.UTF-8; see docs/benchmarks.md) and a GIN tsvector index on the
bigram columns for 1–2-character queries.
"""

from django.db import migrations

SQLITE_UP = [
    """CREATE VIRTUAL TABLE search_fts USING fts5(
        title, body, content='search_measuredocument', content_rowid='measure_id', tokenize='trigram')""",
    """CREATE VIRTUAL TABLE search_fts_bigram USING fts5(
        title_grams, body_grams, content='search_measuredocument', content_rowid='measure_id',
        tokenize='unicode61 remove_diacritics 0', prefix='1')""",
    """CREATE TRIGGER search_doc_ai AFTER INSERT ON search_measuredocument BEGIN
        INSERT INTO search_fts(rowid, title, body) VALUES (new.measure_id, new.title, new.body);
        INSERT INTO search_fts_bigram(rowid, title_grams, body_grams)
            VALUES (new.measure_id, new.title_grams, new.body_grams);
    END""",
    """CREATE TRIGGER search_doc_ad AFTER DELETE ON search_measuredocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.measure_id, old.title, old.body);
        INSERT INTO search_fts_bigram(search_fts_bigram, rowid, title_grams, body_grams)
            VALUES ('delete', old.measure_id, old.title_grams, old.body_grams);
    END""",
    """CREATE TRIGGER search_doc_au AFTER UPDATE ON search_measuredocument BEGIN
        INSERT INTO search_fts(search_fts, rowid, title, body) VALUES ('delete', old.measure_id, old.title, old.body);
        INSERT INTO search_fts_bigram(search_fts_bigram, rowid, title_grams, body_grams)
            VALUES ('delete', old.measure_id, old.title_grams, old.body_grams);
        INSERT INTO search_fts(rowid, title, body) VALUES (new.measure_id, new.title, new.body);
        INSERT INTO search_fts_bigram(rowid, title_grams, body_grams)
            VALUES (new.measure_id, new.title_grams, new.body_grams);
    END""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS search_doc_au",
    "DROP TRIGGER IF EXISTS search_doc_ad",
    "DROP TRIGGER IF EXISTS search_doc_ai",
    "DROP TABLE IF EXISTS search_fts_bigram",
    "DROP TABLE IF EXISTS search_fts",
]
POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX search_doc_title_trgm ON search_measuredocument USING gin (title gin_trgm_ops)",
    "CREATE INDEX search_doc_body_trgm ON search_measuredocument USING gin (body gin_trgm_ops)",
    """CREATE INDEX search_doc_grams ON search_measuredocument
        USING gin (to_tsvector('simple'::regconfig, title_grams || ' ' || body_grams))""",
    """CREATE INDEX search_doc_title_grams ON search_measuredocument
        USING gin (to_tsvector('simple'::regconfig, title_grams))""",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS search_doc_title_grams",
    "DROP INDEX IF EXISTS search_doc_grams",
    "DROP INDEX IF EXISTS search_doc_body_trgm",
    "DROP INDEX IF EXISTS search_doc_title_trgm",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor) -> None:
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_UP, "postgresql": POSTGRES_UP}),
            _run({"sqlite": SQLITE_DOWN, "postgresql": POSTGRES_DOWN}),
        )
    ]
