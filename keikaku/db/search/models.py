"""The search index: one denormalised row per measure, kept by keikaku.services.search.

Text columns hold the normalised text (NFKC, lower case, katakana → hiragana); ``*_grams`` hold the same
text as space-separated character bigrams for 1–2-character queries. On SQLite two FTS5 tables mirror this
table through triggers (trigram for ≥ 3 characters, unicode61 over the bigrams for shorter queries); on
PostgreSQL pg_trgm GIN indexes cover title/body (migration 0002) and stored generated tsvector columns of the
bigrams, ``title_tsv`` and ``grams_tsv``, each with a GIN index, serve short terms (migration 0004; they are
PostgreSQL-only and not fields of this model: the database computes them).
"""

from __future__ import annotations

from django.db import models

from keikaku.db.plans.models import Measure, Plan


class MeasureDocument(models.Model):
    measure = models.OneToOneField(
        Measure, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="+")
    # filters
    prefecture = models.CharField(max_length=20, blank=True, default="", db_index=True)
    pillars = models.CharField(max_length=60, blank=True, default="")  # " A C " (space-delimited codes)
    priority_areas = models.CharField(max_length=300, blank=True, default="")  # "|電子行政|観光|"
    years = models.CharField(max_length=300, blank=True, default="")  # "|2025|2026|" (schedule years)
    period_start = models.IntegerField(null=True, blank=True)
    period_end = models.IntegerField(null=True, blank=True)
    # display (as written)
    organisation = models.CharField(max_length=220, blank=True, default="")
    plan_title = models.CharField(max_length=500, blank=True, default="")
    key = models.CharField(max_length=100, blank=True, default="")
    display_title = models.CharField(max_length=1000)
    snippet = models.CharField(max_length=300, blank=True, default="")
    # normalised text
    title = models.TextField()
    body = models.TextField(blank=True, default="")
    title_grams = models.TextField(blank=True, default="")
    body_grams = models.TextField(blank=True, default="")
    # filter tokens for the SQLite FTS tables: "|plan12|prefab12…|pillarb|areacd34…|fy2026|" (see services.search)
    facets = models.TextField(blank=True, default="")

    class Meta:
        verbose_name = "検索索引"
        verbose_name_plural = "検索索引"
