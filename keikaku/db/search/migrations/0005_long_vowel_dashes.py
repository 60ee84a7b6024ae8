"""Index rows whose text has a dash right after a kana are normalised again: the search form now reads such a
dash as the long-vowel mark ー (keikaku.core.ranking.normalise: オープンデ-タ = オープンデータ), and queries are
normalised the same way, so a row kept in the old form would no longer match a query typed as written.
Only rows with a dash are read (a LIKE per dash character); the SQLite FTS tables follow through their triggers,
PostgreSQL's generated bigram vectors are recomputed by the database."""

from django.db import migrations
from django.db.models import Q

DASHES = "-‐‑‒–—―−－"


def forwards(apps, schema_editor) -> None:
    from keikaku.core.ranking import grams, normalise

    Doc = apps.get_model("search", "MeasureDocument")
    has_dash = Q()
    for ch in DASHES:
        has_dash |= Q(title__contains=ch) | Q(body__contains=ch)
    changed = []
    for d in Doc.objects.filter(has_dash).iterator(chunk_size=1000):
        title, body = normalise(d.title), normalise(d.body)
        if (title, body) != (d.title, d.body):
            d.title, d.body, d.title_grams, d.body_grams = title, body, grams(title), grams(body)
            changed.append(d)
    for i in range(0, len(changed), 500):
        Doc.objects.bulk_update(changed[i : i + 500], ["title", "body", "title_grams", "body_grams"])


class Migration(migrations.Migration):
    dependencies = [("search", "0004_gram_vectors")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
