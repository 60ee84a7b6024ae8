"""Storage of the keikaku plan format. ``keikaku.services.plans`` maps Plan JSON ⇄ these rows.

Order fields keep the document's order so that save → export gives back the same document.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords


class Organisation(models.Model):
    """地方公共団体."""

    KINDS = [(k, k) for k in ("都道府県", "市", "町", "村", "特別区")]

    name = models.CharField("名称", max_length=200)
    prefecture = models.CharField("都道府県", max_length=20, blank=True, default="")
    code = models.CharField("団体コード", max_length=6, null=True, blank=True, unique=True)
    kind = models.CharField("種別", max_length=10, choices=KINDS, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["prefecture", "name"]
        verbose_name = "団体"
        verbose_name_plural = "団体"
        constraints = [
            models.UniqueConstraint(fields=["prefecture", "name"], name="organisation_unique_name"),
        ]

    def __str__(self) -> str:
        return f"{self.prefecture}{self.name}" if self.prefecture else self.name


class Department(models.Model):
    """担当部署 of an organisation. Import matches names to these; aliases can be merged."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField("部署名", max_length=200)
    aliases = models.JSONField("別名", default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = "部署"
        verbose_name_plural = "部署"
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name"),
        ]

    def __str__(self) -> str:
        return self.name


PUBLISHED = "published"  # Plan.status: everyone sees it (the portal, the API, open data)
DRAFT = "draft"  # Plan.status: the organisation's members only; the only state that may be edited
REVIEW = "review"  # Plan.status: 確認依頼 — submitted for the approver's review (members only)
APPROVED = "approved"  # Plan.status: 承認済み — the approver may publish it (members only)


class PlanQuerySet(models.QuerySet):
    def published(self) -> PlanQuerySet:
        return self.filter(status=PUBLISHED)

    def unpublished(self) -> PlanQuerySet:
        return self.exclude(status=PUBLISHED)


class Plan(models.Model):
    PUBLISHED = PUBLISHED
    DRAFT = DRAFT
    REVIEW = REVIEW
    APPROVED = APPROVED
    # the workflow of a version: 下書き → 確認依頼 → 承認 → 公開 (keikaku.services.workflow)
    STATUS = [(DRAFT, "下書き"), (REVIEW, "確認依頼"), (APPROVED, "承認済み"), (PUBLISHED, "公開")]

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="plans")
    title = models.CharField("計画名", max_length=500)
    kinds = models.JSONField("計画の種類", default=list, blank=True)
    published = models.CharField("公表年月", max_length=7, blank=True, default="")
    period_start = models.IntegerField("開始年度", null=True, blank=True)
    period_end = models.IntegerField("終了年度", null=True, blank=True)
    period_note = models.TextField("期間の注記", null=True, blank=True)
    version = models.CharField("版", max_length=50, null=True, blank=True)
    status = models.CharField("状態", max_length=20, choices=STATUS, default=PUBLISHED)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="next_versions"
    )
    # the source document (file name, format, sha256, pages) as in the plan JSON
    source = models.JSONField("出典文書", null=True, blank=True)
    created_at = models.DateTimeField("登録日時")
    updated_at = models.DateTimeField("更新日時")
    revision = models.PositiveIntegerField(
        "改訂番号", default=1, help_text="楽観的排他制御 / optimistic lock"
    )
    # 問い合わせ先 shown on the public plan page: {"section": …, "phone": …, "email": …}
    contact = models.JSONField("問い合わせ先", default=dict, blank=True)
    # 位置付け: related plans as written (総合計画, 情報化計画, the prefecture's plan …), one per item
    related_plans = models.JSONField("関連する計画", default=list, blank=True)
    history = HistoricalRecords()
    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["organisation", "-period_start", "title"]
        verbose_name = "計画"
        verbose_name_plural = "計画"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == PUBLISHED


class SourceFile(models.Model):
    """The imported document itself, kept so a person can check the extraction against it."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="source_file")
    filename = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    content = models.BinaryField()

    class Meta:
        verbose_name = "元文書"
        verbose_name_plural = "元文書"


class Section(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    key = models.CharField(max_length=50, null=True, blank=True)
    title = models.CharField(max_length=500)
    kind = models.CharField(max_length=50, null=True, blank=True)
    text = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "本文の節"
        verbose_name_plural = "本文の節"


class Policy(models.Model):
    """基本方針 / 基本目標 / 施策の柱 — a tree."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="policies")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    order = models.PositiveIntegerField()
    depth = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=100)
    title = models.CharField(max_length=500)
    pillars = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "施策体系"
        verbose_name_plural = "施策体系"

    def __str__(self) -> str:
        return f"{self.key} {self.title}"


class MeasureQuerySet(models.QuerySet):
    def published(self) -> MeasureQuerySet:
        """Measures of published plans."""
        return self.filter(plan__status=PUBLISHED)


class Measure(models.Model):
    """施策 / 取組."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="measures")
    order = models.PositiveIntegerField()
    key = models.CharField("番号", max_length=100, null=True, blank=True)
    policy_key = models.CharField("施策体系の番号", max_length=100, null=True, blank=True)
    policy = models.ForeignKey(
        Policy, on_delete=models.SET_NULL, null=True, blank=True, related_name="measures"
    )
    title = models.CharField("施策名", max_length=1000)
    description = models.TextField("内容", blank=True, default="")
    priority_areas = models.JSONField("重点分野", default=list, blank=True)
    priority = models.BooleanField("重点取組", default=False)
    reposted = models.BooleanField("再掲", default=False)
    deadline_fy = models.IntegerField("期限年度", null=True, blank=True)
    national_measures = models.JSONField("国の施策", default=list, blank=True)
    notes = models.TextField("備考", blank=True, default="")
    provenance = models.JSONField("出典", null=True, blank=True)
    departments = models.ManyToManyField(Department, through="MeasureDepartment", related_name="measures")
    revision = models.PositiveIntegerField(default=1)
    history = HistoricalRecords(excluded_fields=["order"])
    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "施策"
        verbose_name_plural = "施策"
        indexes = [models.Index(fields=["plan", "order"])]

    def __str__(self) -> str:
        return f"{self.key or ''} {self.title}".strip()


class MeasurePillar(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="pillar_refs")
    order = models.PositiveIntegerField()
    code = models.CharField(max_length=10, db_index=True)
    source = models.CharField(max_length=20, default="document")
    confidence = models.FloatField(default=1.0)

    class Meta:
        ordering = ["measure", "order"]


class MeasureDepartment(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="department_links")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="measure_links")
    order = models.PositiveIntegerField()
    written = models.CharField("記載どおりの名称", max_length=200)

    class Meta:
        ordering = ["measure", "order"]


class Kpi(models.Model):
    DIRECTIONS = [(d, d) for d in ("increase", "decrease", "keep", "qualitative")]

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="kpis")
    order = models.PositiveIntegerField()
    indicator = models.CharField("指標", max_length=1000)
    unit = models.CharField("単位", max_length=50, null=True, blank=True)
    baseline_value = models.CharField("基準値", max_length=200, null=True, blank=True)
    baseline_fy = models.IntegerField("基準年度", null=True, blank=True)
    has_baseline = models.BooleanField(default=False)
    direction = models.CharField("方向", max_length=20, choices=DIRECTIONS, null=True, blank=True)
    kind = models.CharField(
        "指標の種類",
        max_length=20,
        choices=[("activity", "活動指標"), ("outcome", "成果指標")],
        null=True,
        blank=True,
    )
    # a person looked at the values the importer read (keikaku.core.guesses flags the guessed ones until then)
    confirmed = models.BooleanField("確認済み", default=False)
    provenance = models.JSONField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["order"])

    class Meta:
        ordering = ["measure", "order"]
        verbose_name = "KPI"
        verbose_name_plural = "KPI"

    def __str__(self) -> str:
        return self.indicator


class KpiTarget(models.Model):
    kpi = models.ForeignKey(Kpi, on_delete=models.CASCADE, related_name="targets")
    order = models.PositiveIntegerField()
    value = models.CharField("目標値", max_length=200)
    fiscal_year = models.IntegerField("目標年度", null=True, blank=True)

    class Meta:
        ordering = ["kpi", "order"]


class ScheduleEntry(models.Model):
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="schedule")
    order = models.PositiveIntegerField()
    fiscal_year = models.IntegerField("年度")
    written = models.CharField("記載", max_length=200)
    phase = models.CharField("段階", max_length=50, null=True, blank=True)
    provenance = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["measure", "order"]
        verbose_name = "スケジュール"
        verbose_name_plural = "スケジュール"


class PreviousPlanReview(models.Model):
    """前計画の施策の評価 as written in the document (plan JSON ``evaluations``)."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    order = models.PositiveIntegerField()
    item = models.TextField("項目")
    groups = models.JSONField("分類", default=list, blank=True)
    status = models.TextField("現状", blank=True, default="")
    decision = models.CharField("方向性", max_length=20, null=True, blank=True)
    decision_written = models.CharField(max_length=100, null=True, blank=True)
    direction = models.TextField(blank=True, default="")
    reference = models.CharField(max_length=200, null=True, blank=True)
    provenance = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = "前計画の評価"
        verbose_name_plural = "前計画の評価"


class PlanChange(models.Model):
    """One change to a plan version made in the editor or its workflow, as a person reads it: who, when,
    what (施策「…」), and the changes old → new in Japanese (「目標値: 100件 → 120件」); a workflow step
    (確認依頼, 承認, 差戻し, 公開, 公開の取り下げ) with the reviewer's comment."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="changes")
    measure = models.ForeignKey(
        Measure, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    at = models.DateTimeField("日時")
    action = models.CharField("操作", max_length=20)
    target = models.CharField("対象", max_length=1200, blank=True, default="")
    lines = models.JSONField("変更内容", default=list, blank=True)
    comment = models.TextField("コメント", blank=True, default="")

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "計画の変更"
        verbose_name_plural = "計画の変更"
        indexes = [models.Index(fields=["plan", "at"]), models.Index(fields=["measure", "at"])]


class Catalogue(models.Model):
    """The national guide's catalogue (template + example measures), stored as its JSON document."""

    title = models.CharField(max_length=500)
    published = models.CharField(max_length=7, blank=True, default="")
    document = models.JSONField()
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = "手引 (カタログ)"
        verbose_name_plural = "手引 (カタログ)"

    def __str__(self) -> str:
        return self.title
