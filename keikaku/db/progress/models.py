"""PDCA (推進管理 / 進行管理): reporting periods, progress reports with KPI actuals, yearly evaluations,
and the lineage of measures from one plan version to the next.

Every editable record carries ``revision`` (optimistic lock): a write names the revision it read and is
refused (``keikaku.services.errors.Conflict``) when someone else saved in between. History of every change
(who, when, what) is kept by django-simple-history.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from keikaku.core.fiscal import fiscal_year_label
from keikaku.db.plans.models import Kpi, Measure, Organisation, Plan

User = settings.AUTH_USER_MODEL

DEFAULT_STATUSES: list[tuple[str, str]] = [
    ("未着手", "not_started"),
    ("順調", "on_track"),
    ("遅れ", "delayed"),
    ("完了", "done"),
    ("中止", "cancelled"),
]


class StatusKind(models.TextChoices):
    """What a status word means for roll-ups, whatever the organisation calls it."""

    NOT_STARTED = "not_started", _("未着手")
    ON_TRACK = "on_track", _("順調")
    DELAYED = "delayed", _("遅れ")
    DONE = "done", _("完了")
    CANCELLED = "cancelled", _("中止")
    OTHER = "other", _("その他")


class ProgressStatus(models.Model):
    """One word of an organisation's status vocabulary. None defined → DEFAULT_STATUSES."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="progress_statuses")
    order = models.PositiveIntegerField(default=0)
    label = models.CharField(_("状況"), max_length=50)
    kind = models.CharField(_("区分"), max_length=20, choices=StatusKind.choices, default=StatusKind.OTHER)

    class Meta:
        ordering = ["organisation", "order"]
        verbose_name = _("進捗状況の語彙")
        verbose_name_plural = _("進捗状況の語彙")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "label"], name="progress_status_unique")
        ]

    def __str__(self) -> str:
        return self.label


class ReportingPeriod(models.Model):
    """A reporting period of a plan: a fiscal year, or a quarter (1–4, April start) of it."""

    class State(models.TextChoices):
        PLANNED = "planned", _("準備中")
        OPEN = "open", _("受付中")
        CLOSED = "closed", _("締切")

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reporting_periods")
    fiscal_year = models.IntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("四半期"), null=True, blank=True)
    due_date = models.DateField(_("提出期限"), null=True, blank=True)
    state = models.CharField(_("状態"), max_length=10, choices=State.choices, default=State.PLANNED)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "fiscal_year", "quarter"]
        verbose_name = _("報告期間")
        verbose_name_plural = _("報告期間")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "fiscal_year"],
                condition=models.Q(quarter__isnull=True),
                name="period_unique_year",
            ),
            models.UniqueConstraint(
                fields=["plan", "fiscal_year", "quarter"],
                condition=models.Q(quarter__isnull=False),
                name="period_unique_quarter",
            ),
            models.CheckConstraint(
                condition=models.Q(quarter__isnull=True) | models.Q(quarter__gte=1, quarter__lte=4),
                name="period_quarter_1_4",
            ),
        ]

    def __str__(self) -> str:
        year = fiscal_year_label(self.fiscal_year, get_language())
        if self.quarter:
            return gettext("%(year)s 第%(quarter)s四半期") % {"year": year, "quarter": self.quarter}
        return year


class ProgressReport(models.Model):
    """One report per measure per period. Workflow: draft → submitted → approved, or returned (with a
    comment) → submitted again. Only approved reports of published plans are public."""

    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        SUBMITTED = "submitted", _("提出済")
        APPROVED = "approved", _("承認済")
        RETURNED = "returned", _("差戻し")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="progress_reports")
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="reports")
    status = models.CharField(_("進捗状況"), max_length=50)
    narrative = models.TextField(_("取組の状況"), blank=True, default="")
    evidence = models.JSONField(_("根拠資料のリンク"), default=list, blank=True)  # list of URLs (str)
    state = models.CharField(_("手続の状態"), max_length=10, choices=State.choices, default=State.DRAFT)
    review_comment = models.TextField(_("差戻しの理由・コメント"), blank=True, default="")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period", "measure__order"]
        verbose_name = _("進捗報告")
        verbose_name_plural = _("進捗報告")
        constraints = [
            models.UniqueConstraint(fields=["measure", "period"], name="report_unique_measure_period")
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.measure} / {self.period}"


class KpiActual(models.Model):
    """The actual value of one KPI in one report: a number with its unit, or a qualitative text (実施 …)."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="actuals")
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="actuals")
    value_number = models.DecimalField(_("実績値"), max_digits=20, decimal_places=4, null=True, blank=True)
    unit = models.CharField(_("単位"), max_length=50, blank=True, default="")
    value_text = models.CharField(_("実績 (定性)"), max_length=500, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["report", "kpi__order"]
        verbose_name = _("KPI 実績")
        verbose_name_plural = _("KPI 実績")
        constraints = [models.UniqueConstraint(fields=["report", "kpi"], name="actual_unique_report_kpi")]


class Decision(models.TextChoices):
    CONTINUE = "継続", _("継続")
    COMPLETE = "完了", _("完了")
    END = "終了", _("終了")
    REVISE = "見直し", _("見直し")
    MERGE = "統合", _("統合")


CARRIED = {Decision.CONTINUE, Decision.REVISE}


class EvaluationQuerySet(models.QuerySet["Evaluation"]):
    def published(self) -> EvaluationQuerySet:
        """Only 公開 evaluations: the only ones shown to anyone outside the organisation (pages, API, open
        data, reports for anonymous readers)."""
        return self.filter(state=Evaluation.State.PUBLISHED)


class Evaluation(models.Model):
    """評価 of a measure at the end of a fiscal year. 統合 names the measure it merges into.

    State: draft (下書き, editable) → decided (決定, by the approver role) → published (公開). Only published
    evaluations are public; changing a decided or published evaluation puts it back to draft."""

    class State(models.TextChoices):
        DRAFT = "draft", _("下書き")
        DECIDED = "decided", _("決定")
        PUBLISHED = "published", _("公開")

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="evaluations")
    fiscal_year = models.IntegerField(_("年度"))
    decision = models.CharField(_("方向性"), max_length=10, choices=Decision.choices)
    rationale = models.TextField(_("評価の理由"), blank=True, default="")
    merge_into = models.ForeignKey(
        Measure,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        verbose_name=_("統合先"),
    )
    evaluated_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    state = models.CharField(_("評価の状態"), max_length=10, choices=State.choices, default=State.DRAFT)
    decided_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(_("決定日時"), null=True, blank=True)
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["measure__plan", "fiscal_year", "measure__order"]
        verbose_name = _("評価")
        verbose_name_plural = _("評価")
        constraints = [models.UniqueConstraint(fields=["measure", "fiscal_year"], name="evaluation_unique")]

    def __str__(self) -> str:
        return f"{self.measure} {self.fiscal_year}: {self.decision}"


class MeasureLineage(models.Model):
    """Where a measure went in the next plan version. ``to_measure`` is empty when it was not carried
    (完了 / 終了); for 統合 it is the next version of the measure it merged into."""

    from_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lineage_out")
    to_plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="lineage_in")
    from_measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="lineage_next")
    to_measure = models.ForeignKey(
        Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="lineage_previous"
    )
    decision = models.CharField(_("方向性"), max_length=10, choices=Decision.choices, blank=True)  # "" 未評価
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["from_plan", "from_measure__order"]
        verbose_name = _("施策の系譜")
        verbose_name_plural = _("施策の系譜")
        constraints = [
            models.UniqueConstraint(fields=["from_measure", "to_plan"], name="lineage_unique_from_to_plan"),
        ]
