"""Use cases of the PDCA cycle: reporting periods, progress reports (draft → submitted → approved /
returned), yearly evaluations, late measures and reminders. (Counts and roll-ups: keikaku.services.rollup;
``plan_status_counts`` is re-exported from there.)

Every write takes ``revision`` — the revision the caller read (0 for a record that does not exist yet) —
and raises :class:`Conflict` when the record changed since; time is always the ``now`` / ``today``
parameter.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from urllib.parse import urlparse

from django.core.mail import send_mail
from django.db import IntegrityError, connections, models, router, transaction
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from keikaku.core.actuals import ActualRefused, KpiRule, check_number, kpi_rule
from keikaku.core.actuals import parse_actual as parse_actual_rule
from keikaku.db.accounts.models import Membership, Role
from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.services import logs
from keikaku.services.errors import Conflict, NotFound, PermissionDenied, ServiceError
from keikaku.services.people import Actor, reportable_departments, require
from keikaku.services.rollup import changed, visible_reports
from keikaku.services.rollup import plan_status_counts as plan_status_counts  # re-exported

logger = logging.getLogger(__name__)

State = gm.ProgressReport.State

# ---- vocabulary ----------------------------------------------------------------------------------


def status_vocabulary(organisation: pm.Organisation) -> list[tuple[str, str]]:
    """(label, kind) pairs of the organisation's status words, or the default 未着手/順調/遅れ/完了/中止."""
    rows = list(gm.ProgressStatus.objects.filter(organisation=organisation).order_by("order"))
    return [(r.label, r.kind) for r in rows] if rows else list(gm.DEFAULT_STATUSES)


def status_vocabulary_set(actor: Actor, organisation: pm.Organisation, words: list[tuple[str, str]]) -> None:
    require(actor, "period.manage", organisation)
    if not words or len({w for w, _ in words}) != len(words):
        raise ServiceError("状況の語が空か重複しています / empty or duplicate status words")
    with transaction.atomic():
        gm.ProgressStatus.objects.filter(organisation=organisation).delete()
        gm.ProgressStatus.objects.bulk_create(
            gm.ProgressStatus(organisation=organisation, order=i, label=w, kind=k)
            for i, (w, k) in enumerate(words)
        )
    logger.info(
        "status_vocabulary_set: %s -> %s (by %s)", logs.ref(organisation), logs.ref(None), logs.by(actor)
    )


# ---- helpers -------------------------------------------------------------------------------------


def _by(actor: Actor) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _save(obj: Any, actor: Actor, **kw: Any) -> None:
    if _by(actor) is not None:
        obj._history_user = actor
    obj.save(**kw)


def _locked(model: type[Any], pk: int, revision: int | None) -> Any:
    """Re-read a row for update and check that nobody saved it since the caller read ``revision``."""
    obj = model.objects.select_for_update().filter(pk=pk).first()
    if obj is None:
        raise NotFound(f"{model._meta.verbose_name} {pk} はありません / not found")
    if revision is not None and obj.revision != revision:
        raise _stale(revision, obj.revision)
    return obj


def period_get(period_id: Any) -> gm.ReportingPeriod:
    try:
        return gm.ReportingPeriod.objects.select_related("plan__organisation").get(pk=period_id)
    except (gm.ReportingPeriod.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"報告期間 {period_id} はありません / no period {period_id}") from None


def report_get(report_id: Any) -> gm.ProgressReport:
    try:
        return gm.ProgressReport.objects.select_related("measure__plan__organisation", "period").get(
            pk=report_id
        )
    except (gm.ProgressReport.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"進捗報告 {report_id} はありません / no report {report_id}") from None


def measure_get(measure_id: Any) -> pm.Measure:
    try:
        return pm.Measure.objects.select_related("plan__organisation").get(pk=measure_id)
    except (pm.Measure.DoesNotExist, ValueError, TypeError, OverflowError):
        raise NotFound(f"施策 {measure_id} はありません / no measure {measure_id}") from None


# ---- periods -------------------------------------------------------------------------------------


@transaction.atomic
def period_create(
    actor: Actor, plan: pm.Plan, fiscal_year: int, *, quarter: int | None = None, due_date: date | None = None
) -> gm.ReportingPeriod:
    require(actor, "period.manage", plan)
    if quarter is not None and not 1 <= quarter <= 4:
        raise ServiceError("四半期は 1〜4 です / quarter must be 1-4")
    if not 1900 <= fiscal_year <= 2200:
        raise ServiceError("年度が不正です / fiscal year out of range")
    if gm.ReportingPeriod.objects.filter(plan=plan, fiscal_year=fiscal_year, quarter=quarter).exists():
        raise Conflict("その報告期間はすでにあります / that period exists already")
    period = gm.ReportingPeriod(plan=plan, fiscal_year=fiscal_year, quarter=quarter, due_date=due_date)
    _save(period, actor)
    _done = period
    logger.info("period_create: %s -> %s (by %s)", logs.ref(plan), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def period_update(
    actor: Actor,
    period: gm.ReportingPeriod,
    *,
    revision: int,
    state: str | None = None,
    due_date: date | None | bool = False,
    now: datetime,
) -> gm.ReportingPeriod:
    """Open or close a period and/or set its due date (``due_date=False`` leaves it as it is)."""
    require(actor, "period.manage", period.plan)
    obj = _locked(gm.ReportingPeriod, period.pk, revision)
    if state is not None:
        if state not in gm.ReportingPeriod.State.values:
            raise ServiceError(f"不明な状態 / unknown state {state}")
        if state == "open" and obj.state != "open":
            obj.opened_at = now
        if state == "closed" and obj.state != "closed":
            obj.closed_at = now
        obj.state = state
    if due_date is not False:
        obj.due_date = due_date
    obj.revision += 1
    _save(obj, actor)
    _done = obj
    logger.info("period_update: %s -> %s (by %s)", logs.ref(period), logs.ref(_done), logs.by(actor))
    return _done


# ---- progress reports ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ActualInput:
    kpi_id: int
    number: Decimal | None = None
    unit: str = ""
    text: str = ""


def parse_actual(kpi_id: int, written: str, unit: str = "") -> ActualInput:
    """A typed-in actual as typed: :func:`progress_save` reads it under the one rule
    (keikaku.core.actuals: '30 ％', '1.2万件', 実施 for a qualitative KPI …). ``unit`` is kept for callers
    that pass the KPI's unit; the rule knows it already."""
    return ActualInput(kpi_id=kpi_id, text=(written or "").strip()[:1000], unit=unit)


def _clean_evidence(links: list[str]) -> list[str]:
    out = []
    for link in links:
        link = (link or "").strip()
        if not link:
            continue
        u = urlparse(link)
        if u.scheme not in ("http", "https") or not u.netloc or len(link) > 2000:
            raise ServiceError(
                f"根拠資料のリンクは http(s) の URL にしてください / evidence must be http(s) URLs: {link[:80]}"
            )
        out.append(link)
    return out


@dataclass
class ReportInput:
    status: str
    narrative: str = ""
    evidence: list[str] = field(default_factory=list)
    actuals: list[ActualInput] = field(default_factory=list)


def _check_open(period: gm.ReportingPeriod) -> None:
    if period.state != gm.ReportingPeriod.State.OPEN:
        raise ServiceError("この報告期間は受付中ではありません / the period is not open")


def _check_status(status: str, labels: list[str]) -> None:
    if status not in labels:
        raise ServiceError(f"進捗状況は {' / '.join(labels)} から選んでください / unknown status")


@dataclass(frozen=True)
class KpiCheck:
    """What the actual rule (keikaku.core.actuals) needs about one KPI, and whose KPI it is."""

    measure_id: int
    indicator: str
    rule: KpiRule


def kpi_checks(measure_ids: Sequence[int]) -> dict[int, KpiCheck]:
    """The actual rule of every KPI of the measures, by KPI id (two queries)."""
    targets: dict[int, list[str]] = defaultdict(list)
    for kpi_id, value in (
        pm.KpiTarget.objects.filter(kpi__measure_id__in=measure_ids)
        .order_by("kpi_id", "order")
        .values_list("kpi_id", "value")
    ):
        targets[kpi_id].append(value)
    out = {}
    for pk, mid, indicator, unit, direction, baseline, has_baseline in pm.Kpi.objects.filter(
        measure_id__in=measure_ids
    ).values_list("pk", "measure_id", "indicator", "unit", "direction", "baseline_value", "has_baseline"):
        rule = kpi_rule(unit, direction, baseline if has_baseline else None, targets[pk])
        out[pk] = KpiCheck(mid, indicator, rule)
    return out


def _actual_refused(check: KpiCheck, e: ActualRefused) -> ServiceError:
    return ServiceError(f"KPI『{check.indicator[:60]}』: {e.message}")


def actual_check(check: KpiCheck, kpi_id: int, written: object) -> ActualInput | None:
    """A typed-in actual (form field, workbook cell) under the one rule; None when empty. ServiceError with
    a Japanese sentence naming the KPI when the rule refuses it."""
    try:
        got = parse_actual_rule(written, check.rule)
    except ActualRefused as e:
        raise _actual_refused(check, e) from None
    return (
        None if got is None else ActualInput(kpi_id=kpi_id, number=got.number, unit=got.unit, text=got.text)
    )


def _checked_actuals(
    actuals: list[ActualInput], checks: dict[int, KpiCheck], measure_id: int
) -> list[ActualInput]:
    """Every actual of a report through the one rule (the API's number + unit too); empty ones dropped."""
    out = []
    for a in actuals:
        check = checks.get(a.kpi_id)
        if check is None or check.measure_id != measure_id:
            raise ServiceError(f"KPI {a.kpi_id} はこの施策のものではありません / KPI not of this measure")
        if a.number is not None:
            try:
                got = check_number(a.number, a.unit, check.rule)
            except ActualRefused as e:
                raise _actual_refused(check, e) from None
            out.append(ActualInput(kpi_id=a.kpi_id, number=got.number, unit=got.unit))
        else:
            checked = actual_check(check, a.kpi_id, a.text)
            if checked is not None:
                out.append(checked)
    return out


def _stale(revision: int, current: int) -> Conflict:
    return Conflict(
        f"他の人が先に更新しました（版 {revision} → {current}）。読み込み直してから編集してください。"
        f" / changed by someone else since you read it (revision {revision}, now {current}); reload and retry."
    )


_GONE = "報告が見つかりません（削除された可能性があります）/ the report no longer exists"
_NOT_EDITABLE = (
    "提出済・承認済の報告は編集できません（差戻し後に編集できます）/ submitted or approved: not editable"
)
_CREATED_MEANWHILE = "同時に別の人が報告を作成しました / someone created this report at the same time"


def _apply(
    report: gm.ProgressReport,
    data: ReportInput,
    evidence: list[str],
    actor: Actor,
    now: datetime,
    submit: bool,
) -> None:
    """The fields an edit sets on a report (single and bulk paths alike)."""
    report.status = data.status
    report.narrative = data.narrative
    report.evidence = evidence
    report.updated_by = _by(actor)
    report.updated_at = now
    report.revision += 1
    if submit:
        report.state, report.submitted_at = State.SUBMITTED, now
    elif report.state == State.RETURNED:
        report.state = State.DRAFT


def _actual_changed(row: gm.KpiActual, a: ActualInput, kpi_unit: str) -> bool:
    """Set ``row`` from ``a`` when it differs (or is new); True when it must be written."""
    if row.pk is not None and (row.value_number, row.unit, row.value_text) == (
        a.number,
        a.unit or "",
        a.text,
    ):
        return False
    row.value_number, row.unit, row.value_text = a.number, a.unit or kpi_unit, a.text
    return True


@transaction.atomic
def progress_save(
    actor: Actor,
    measure: pm.Measure,
    period: gm.ReportingPeriod,
    data: ReportInput,
    *,
    revision: int,
    now: datetime,
    submit: bool = False,
) -> gm.ProgressReport:
    """Create or edit the report of ``measure`` for ``period`` (``revision`` 0 = new); ``submit`` sends it."""
    require(actor, "progress.edit", measure)
    if measure.plan_id != period.plan_id:
        raise NotFound("この施策はこの報告期間の計画のものではありません / measure not in this period's plan")
    _check_open(period)
    _check_status(data.status, [w for w, _ in status_vocabulary(measure.plan.organisation)])
    evidence = _clean_evidence(data.evidence)
    checks = kpi_checks([measure.pk])
    actuals = _checked_actuals(data.actuals, checks, measure.pk)
    existing = gm.ProgressReport.objects.filter(measure=measure, period=period).first()
    if existing is None:
        if revision != 0:
            raise Conflict(_GONE)
        report = gm.ProgressReport(
            measure=measure, period=period, created_by=_by(actor), created_at=now, revision=0
        )
    else:
        report = _locked(gm.ProgressReport, existing.pk, revision)
        if report.state in (State.SUBMITTED, State.APPROVED):
            raise Conflict(_NOT_EDITABLE)
    _apply(report, data, evidence, actor, now, submit)
    try:
        with transaction.atomic():
            _save(report, actor)
    except IntegrityError:
        raise Conflict(_CREATED_MEANWHILE) from None
    for a in actuals:
        row = gm.KpiActual.objects.filter(report=report, kpi_id=a.kpi_id).first() or gm.KpiActual(
            report=report, kpi_id=a.kpi_id
        )
        if _actual_changed(row, a, checks[a.kpi_id].rule.unit):
            _save(row, actor)
    _done = report
    logger.info("progress_save: %s -> %s (by %s)", logs.ref(measure), logs.ref(_done), logs.by(actor))
    return _done


@dataclass(frozen=True)
class ReportSave:
    """One report of a :func:`progress_save_many` batch: the measure, its data and the revision read."""

    measure: pm.Measure
    data: ReportInput
    revision: int


def _update_rows(model: type[models.Model], objs: Sequence[models.Model], fields: list[str]) -> None:
    """UPDATE ``fields`` of each row in one executemany. (Django's bulk_update builds a CASE WHEN per field
    and row: at 100 reports that cost ~0.4 s of Python, more than the statements themselves.)"""
    meta = model._meta
    cols = [meta.get_field(f) for f in fields]
    conn = connections[router.db_for_write(model)]
    qn = conn.ops.quote_name
    sets = ", ".join(f"{qn(c.column)} = %s" for c in cols)
    sql = f"UPDATE {qn(meta.db_table)} SET {sets} WHERE {qn(meta.pk.column)} = %s"
    rows = [[c.get_db_prep_save(getattr(o, c.attname), conn) for c in cols] + [o.pk] for o in objs]
    with conn.cursor() as cur:
        cur.executemany(sql, rows)


def _item_error(err: ServiceError, item: int) -> ServiceError:
    err.item = item  # which entry of the batch failed
    return err


@transaction.atomic
def progress_save_many(
    actor: Actor,
    period: gm.ReportingPeriod,
    items: Sequence[ReportSave],
    *,
    now: datetime,
    submit: bool = False,
) -> list[gm.ProgressReport]:
    """:func:`progress_save` for many measures of one period at once, all or nothing: the same rules
    (permission per measure, stale revision → Conflict, submitted/approved not editable, status
    vocabulary, KPIs of the measure, evidence URLs) in a fixed handful of queries whatever the batch size,
    history rows (who = ``actor``, when = ``now``) written in bulk. The error of the first refused entry is
    raised with ``item`` = its index in ``items``; nothing is saved then."""
    if not items:
        return []
    _check_open(period)
    org = period.plan.organisation
    allowed = reportable_departments(actor, org)
    if allowed == []:
        raise PermissionDenied("権限がありません / not allowed: progress.edit")
    ids = [it.measure.pk for it in items]
    covered: set[int] | None = None
    if allowed is not None:  # a reporter: only the measures of their departments
        covered = set(
            pm.MeasureDepartment.objects.filter(measure_id__in=ids, department_id__in=allowed).values_list(
                "measure_id", flat=True
            )
        )
    labels = [w for w, _ in status_vocabulary(org)]
    checks = kpi_checks(ids)
    checked: list[list[ActualInput]] = []
    existing = {
        rep.measure_id: rep
        for rep in gm.ProgressReport.objects.select_for_update().filter(period=period, measure_id__in=ids)
    }
    by = _by(actor)
    reports: list[gm.ProgressReport] = []
    seen: set[int] = set()
    for i, it in enumerate(items):
        ms, data = it.measure, it.data
        try:
            if covered is not None and ms.pk not in covered:
                raise PermissionDenied("権限がありません / not allowed: progress.edit")
            if ms.plan_id != period.plan_id:
                raise NotFound(
                    "この施策はこの報告期間の計画のものではありません / measure not in this period's plan"
                )
            if ms.pk in seen:
                raise ServiceError("同じ施策が二度あります / the same measure twice in one batch")
            seen.add(ms.pk)
            _check_status(data.status, labels)
            evidence = _clean_evidence(data.evidence)
            checked.append(_checked_actuals(data.actuals, checks, ms.pk))
            report = existing.get(ms.pk)
            if report is None:
                if it.revision != 0:
                    raise Conflict(_GONE)
                report = gm.ProgressReport(
                    measure=ms, period=period, created_by=by, created_at=now, revision=0
                )
            else:
                if report.revision != it.revision:
                    raise _stale(it.revision, report.revision)
                if report.state in (State.SUBMITTED, State.APPROVED):
                    raise Conflict(_NOT_EDITABLE)
        except ServiceError as e:
            raise _item_error(e, i) from None
        _apply(report, data, evidence, actor, now, submit)
        reports.append(report)
    new = [rep for rep in reports if rep.pk is None]
    old = [rep for rep in reports if rep.pk is not None]
    history = dict(default_user=by, default_date=now)
    try:
        with transaction.atomic():
            if new:
                bulk_create_with_history(new, gm.ProgressReport, **history)
    except IntegrityError:
        raise Conflict(_CREATED_MEANWHILE) from None
    if new and any(rep.pk is None for rep in new):  # a backend that returns no ids
        ids_of = dict(
            gm.ProgressReport.objects.filter(
                period=period, measure_id__in=[r.measure_id for r in new]
            ).values_list("measure_id", "pk")
        )
        for rep in new:
            rep.pk = ids_of[rep.measure_id]
    if old:
        _update_rows(gm.ProgressReport, old, _REPORT_FIELDS)
        bulk_update_with_history(old, gm.ProgressReport, [], **history)  # history rows only
    stored: dict[tuple[int, int], gm.KpiActual] = {
        (a.report_id, a.kpi_id): a for a in gm.KpiActual.objects.filter(report__in=old)
    }
    add: list[gm.KpiActual] = []
    change: list[gm.KpiActual] = []
    for actuals, rep in zip(checked, reports, strict=True):
        for a in actuals:
            row = stored.get((rep.pk, a.kpi_id))
            if row is None:
                row = stored[(rep.pk, a.kpi_id)] = gm.KpiActual(report=rep, kpi_id=a.kpi_id)
                _actual_changed(row, a, checks[a.kpi_id].rule.unit)
                add.append(row)
            elif _actual_changed(row, a, checks[a.kpi_id].rule.unit) and row.pk is not None:
                change.append(row)
    if add:
        bulk_create_with_history(add, gm.KpiActual, **history)
    if change:
        _update_rows(gm.KpiActual, change, ["value_number", "unit", "value_text"])
        bulk_update_with_history(change, gm.KpiActual, [], **history)
    changed()  # bulk history rows send no signal: tell cached dashboards
    _done = reports
    logger.info("progress_save_many: %s -> %s (by %s)", logs.ref(period), logs.ref(_done), logs.by(actor))
    return _done


_REPORT_FIELDS = [
    "status",
    "narrative",
    "evidence",
    "updated_by",
    "updated_at",
    "revision",
    "state",
    "submitted_at",
]


@transaction.atomic
def progress_submit(
    actor: Actor, report: gm.ProgressReport, *, revision: int, now: datetime
) -> gm.ProgressReport:
    require(actor, "progress.edit", report.measure)
    _check_open(report.period)
    obj = _locked(gm.ProgressReport, report.pk, revision)
    if obj.state not in (State.DRAFT, State.RETURNED):
        raise Conflict(
            "下書きか差戻しの報告だけを提出できます / only a draft or returned report can be submitted"
        )
    obj.state, obj.submitted_at, obj.updated_at, obj.updated_by = State.SUBMITTED, now, now, _by(actor)
    obj.revision += 1
    _save(obj, actor)
    _done = obj
    logger.info("progress_submit: %s -> %s (by %s)", logs.ref(report), logs.ref(_done), logs.by(actor))
    return _done


@transaction.atomic
def progress_review(
    actor: Actor, report: gm.ProgressReport, *, approve: bool, revision: int, now: datetime, comment: str = ""
) -> gm.ProgressReport:
    """Approve, or return with a comment (required), a submitted report."""
    require(actor, "progress.review", report.measure.plan)
    obj = _locked(gm.ProgressReport, report.pk, revision)
    if obj.state != State.SUBMITTED:
        raise Conflict("提出済の報告だけを承認・差戻しできます / only a submitted report can be reviewed")
    if not approve and not comment.strip():
        raise ServiceError("差戻しには理由を書いてください / a return needs a comment")
    obj.state = State.APPROVED if approve else State.RETURNED
    obj.review_comment = comment.strip()
    obj.reviewed_by, obj.reviewed_at, obj.updated_at = _by(actor), now, now
    obj.revision += 1
    _save(obj, actor)
    _done = obj
    logger.info("progress_review: %s -> %s (by %s)", logs.ref(report), logs.ref(_done), logs.by(actor))
    return _done


def progress_approve(
    actor: Actor, report: gm.ProgressReport, *, revision: int, now: datetime, comment: str = ""
):
    _done = progress_review(actor, report, approve=True, revision=revision, now=now, comment=comment)
    logger.info("progress_approve: %s -> %s (by %s)", logs.ref(report), logs.ref(_done), logs.by(actor))
    return _done


def progress_return(actor: Actor, report: gm.ProgressReport, *, revision: int, now: datetime, comment: str):
    _done = progress_review(actor, report, approve=False, revision=revision, now=now, comment=comment)
    logger.info("progress_return: %s -> %s (by %s)", logs.ref(report), logs.ref(_done), logs.by(actor))
    return _done


def reports_visible(user: Any, plan: pm.Plan, period: gm.ReportingPeriod | None = None):
    """Reports of a plan the user may read (the roll-up's rule: all for members, approved ones of a
    published plan otherwise), with measure, period and actuals."""
    qs = visible_reports(user, plan).select_related("measure", "period")
    if period is not None:
        qs = qs.filter(period=period)
    return qs.prefetch_related("actuals__kpi")


# ---- late measures and reminders -----------------------------------------------------------------


def late_measures(period: gm.ReportingPeriod, *, today: date) -> list[pm.Measure]:
    """Measures of the period's plan with no submitted or approved report after the due date."""
    if period.due_date is None or today <= period.due_date:
        return []
    done = gm.ProgressReport.objects.filter(
        period=period, state__in=[State.SUBMITTED, State.APPROVED]
    ).values("measure_id")
    return list(period.plan.measures.exclude(pk__in=done).order_by("order"))


@dataclass(frozen=True)
class ReminderResult:
    periods: int
    messages: int
    late_measures: int


def reminders_send(*, today: date, days_before: int = 7) -> ReminderResult:
    """E-mail each reporter (or, for measures without one, the planners) the measures still to report in
    open periods due within ``days_before`` days or already late. Through Django's mail backend."""
    periods = gm.ReportingPeriod.objects.filter(state="open", due_date__isnull=False).select_related(
        "plan__organisation"
    )
    n_periods = n_messages = n_late = 0
    for period in periods:
        if (period.due_date - today).days > days_before:
            continue
        done = set(
            gm.ProgressReport.objects.filter(
                period=period, state__in=[State.SUBMITTED, State.APPROVED]
            ).values_list("measure_id", flat=True)
        )
        pending = [
            ms
            for ms in period.plan.measures.prefetch_related("department_links").order_by("order")
            if ms.pk not in done
        ]
        if not pending:
            continue
        n_periods += 1
        late = today > period.due_date
        n_late += len(pending) if late else 0
        members = list(
            Membership.objects.filter(organisation=period.plan.organisation)
            .select_related("user")
            .prefetch_related("departments")
        )
        todo: dict[str, list[pm.Measure]] = {}
        planners = [m.user.email for m in members if m.role in (Role.ADMIN, Role.EDITOR) and m.user.email]
        for ms in pending:
            depts = {link.department_id for link in ms.department_links.all()}
            to = [
                m.user.email
                for m in members
                if m.role == Role.REPORTER and m.user.email and depts & {d.pk for d in m.departments.all()}
            ] or planners
            for addr in to:
                todo.setdefault(addr, []).append(ms)
        for addr, measures in sorted(todo.items()):
            head = "提出期限を過ぎています" if late else "提出期限が近づいています"
            lines = [
                f"{period.plan.title} {period} の進捗報告: {head}（期限 {period.due_date.isoformat()}）",
                "",
            ]
            lines += [f"- {ms.key or ''} {ms.title}".rstrip() for ms in measures]
            send_mail(
                subject=f"[keikaku] 進捗報告のお願い: {period} ({len(measures)}件)",
                message="\n".join(lines) + "\n",
                from_email=None,
                recipient_list=[addr],
            )
            n_messages += 1
    _done = ReminderResult(periods=n_periods, messages=n_messages, late_measures=n_late)
    logger.info("reminders_send: %s -> %s (by %s)", logs.ref(days_before), logs.ref(_done), "operator")
    return _done


# ---- evaluations ---------------------------------------------------------------------------------


@transaction.atomic
def evaluation_save(
    actor: Actor,
    measure: pm.Measure,
    fiscal_year: int,
    *,
    decision: str,
    rationale: str,
    merge_into: pm.Measure | None = None,
    revision: int,
    now: datetime,
) -> gm.Evaluation:
    """Record (or change) the year-end evaluation of a measure: 継続 / 完了 / 終了 / 見直し / 統合. It is (again)
    a draft: keikaku.services.evaluations decides and publishes it."""
    require(actor, "evaluation.edit", measure.plan)
    if decision not in gm.Decision.values:
        raise ServiceError(f"評価は {' / '.join(gm.Decision.values)} から選んでください / unknown decision")
    if decision == gm.Decision.MERGE:
        if merge_into is None or merge_into.plan_id != measure.plan_id or merge_into.pk == measure.pk:
            raise ServiceError(
                "統合先として同じ計画の別の施策を選んでください / 統合 needs another measure of the plan"
            )
    else:
        merge_into = None
    existing = gm.Evaluation.objects.filter(measure=measure, fiscal_year=fiscal_year).first()
    if existing is None:
        if revision != 0:
            raise Conflict("評価が見つかりません / the evaluation no longer exists")
        obj = gm.Evaluation(measure=measure, fiscal_year=fiscal_year, created_at=now, revision=0)
    else:
        obj = _locked(gm.Evaluation, existing.pk, revision)
    obj.decision, obj.rationale, obj.merge_into = decision, rationale.strip(), merge_into
    obj.evaluated_by, obj.updated_at = _by(actor), now
    # a changed evaluation is the office's draft again: 推進本部 decides (and publishes) it anew
    obj.state, obj.decided_by, obj.decided_at, obj.published_at = gm.Evaluation.State.DRAFT, None, None, None
    obj.revision += 1
    try:
        with transaction.atomic():
            _save(obj, actor)
    except IntegrityError:
        raise Conflict(
            "同時に別の人が評価を登録しました / someone saved this evaluation at the same time"
        ) from None
    _done = obj
    logger.info("evaluation_save: %s -> %s (by %s)", logs.ref(measure), logs.ref(_done), logs.by(actor))
    return _done
