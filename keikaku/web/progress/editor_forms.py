"""Forms of the plan editor (/manage/…/edit/). Every form carries the ``revision`` it was read at; several
forms share a page, so each has its own prefix (unique ids and names)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keikaku.core.fiscal import fiscal_year_label
from keikaku.core.pillars import PILLARS, PRIORITY_AREA_OTHER, PRIORITY_AREAS
from keikaku.db.plans import models as pm
from keikaku.services.editing import KpiInput, MeasureInput
from keikaku.services.plan_editing import KINDS, PlanInput
from keikaku.web.progress.forms import RevisionForm

FY = {"min_value": 1950, "max_value": 2100}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class MeasureForm(RevisionForm):
    key = forms.CharField(label=_("番号"), required=False, max_length=100, help_text=_("例: 1-①、(2)"))
    title = forms.CharField(label=_("施策名"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 6}))
    policy = forms.TypedChoiceField(label=_("施策体系"), required=False, coerce=int, empty_value=None)
    pillars = forms.MultipleChoiceField(
        label=_("柱（官民データ活用推進基本法の基本的施策）"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    pillars_confirmed = forms.BooleanField(
        label=_("柱を確認した（取り込み時に推定された柱も確定する）"), required=False
    )
    priority_areas = forms.MultipleChoiceField(
        label=_("重点分野"), required=False, widget=forms.CheckboxSelectMultiple
    )
    priority = forms.BooleanField(label=_("重点取組"), required=False)
    reposted = forms.BooleanField(label=_("再掲"), required=False)
    departments = forms.MultipleChoiceField(
        label=_("担当部署"), required=False, widget=forms.CheckboxSelectMultiple
    )
    new_departments = forms.CharField(
        label=_("一覧にない担当部署（1 行に 1 つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    deadline_fy = forms.IntegerField(label=_("期限年度（西暦）"), required=False, **FY)
    national_picked = forms.MultipleChoiceField(
        label=_("関連する国の施策（手引の一覧から選ぶ）"), required=False, widget=forms.CheckboxSelectMultiple
    )
    national_measures = forms.CharField(
        label=_("関連する国の施策（一覧にないもの。1 行に 1 つ）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    notes = forms.CharField(label=_("備考"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self,
        *args: Any,
        policies: list[pm.Policy],
        departments: list[str],
        national: list[str] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.national = list(national or [])
        if self.national:
            self.fields["national_picked"].choices = [(n, n) for n in self.national]
        else:  # no catalogue loaded: the free text alone
            del self.fields["national_picked"]
            self.fields["national_measures"].label = _("関連する国の施策（1 行に 1 つ）")
        if self.initial.get("national_all") is not None:
            chosen = self.initial["national_all"]
            self.initial["national_picked"] = [n for n in chosen if n in self.national]
            self.initial["national_measures"] = "\n".join(n for n in chosen if n not in self.national)
        self.fields["policy"].choices = [("", gettext("（施策体系に位置付けない）"))] + [
            (p.pk, "\u3000" * p.depth + f"{p.key} {p.title}"[:120]) for p in policies
        ]
        self.fields["pillars"].choices = [
            (p.code, f"{'その他' if p.code == 'other' else p.code}: {p.short}") for p in PILLARS
        ]
        self.fields["priority_areas"].choices = [(a, a) for a in (*PRIORITY_AREAS, PRIORITY_AREA_OTHER)]
        self.fields["departments"].choices = [(d, d) for d in departments]

    @staticmethod
    def initial_for(ms: pm.Measure) -> dict[str, Any]:
        return {
            "revision": ms.revision,
            "key": ms.key or "",
            "title": ms.title,
            "description": ms.description,
            "policy": ms.policy_id,
            "pillars": [r.code for r in ms.pillar_refs.all()],
            "priority_areas": list(ms.priority_areas),
            "priority": ms.priority,
            "reposted": ms.reposted,
            "departments": [d.written for d in ms.department_links.all()],
            "deadline_fy": ms.deadline_fy,
            "national_all": list(ms.national_measures),
            "national_measures": "\n".join(ms.national_measures),
            "notes": ms.notes,
        }

    def to_input(self) -> MeasureInput:
        cd = self.cleaned_data
        return MeasureInput(
            title=cd["title"],
            key=cd["key"],
            description=cd["description"],
            policy_id=cd["policy"],
            pillars=list(cd["pillars"]),
            pillars_confirmed=cd["pillars_confirmed"],
            priority_areas=list(cd["priority_areas"]),
            priority=cd["priority"],
            reposted=cd["reposted"],
            departments=[*cd["departments"], *_lines(cd["new_departments"])],
            deadline_fy=cd["deadline_fy"],
            national_measures=list(
                dict.fromkeys([*cd.get("national_picked", []), *_lines(cd["national_measures"])])
            ),
            notes=cd["notes"],
        )


DIRECTION_CHOICES = [
    ("", _("（指定しない）")),
    ("increase", _("増やす")),
    ("decrease", _("減らす")),
    ("keep", _("維持する")),
    ("qualitative", _("実施・完了など（数値でない）")),
]


class KpiForm(RevisionForm):
    indicator = forms.CharField(label=_("指標"), max_length=1000)
    unit = forms.CharField(label=_("単位"), required=False, max_length=50, help_text=_("例: 件、%、人"))
    direction = forms.ChoiceField(label=_("目指す方向"), required=False, choices=DIRECTION_CHOICES)
    baseline_value = forms.CharField(label=_("基準値"), required=False, max_length=200)
    baseline_fy = forms.IntegerField(label=_("基準年度（西暦）"), required=False, **FY)
    kind = forms.ChoiceField(
        label=_("指標の種類"),
        required=False,
        choices=[
            ("", _("（指定しない）")),
            ("activity", _("活動指標（取組の量）")),
            ("outcome", _("成果指標（取組の成果）")),
        ],
    )

    def __init__(self, *args: Any, targets: int = 2, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.targets = targets
        for i in range(targets):
            self.fields[f"target_value_{i}"] = forms.CharField(
                label=gettext("目標値 %(n)s") % {"n": i + 1}, required=False, max_length=200
            )
            self.fields[f"target_fy_{i}"] = forms.IntegerField(
                label=gettext("目標年度 %(n)s（西暦）") % {"n": i + 1}, required=False, **FY
            )

    @staticmethod
    def initial_for(k: pm.Kpi, revision: int) -> dict[str, Any]:
        data: dict[str, Any] = {
            "revision": revision,
            "indicator": k.indicator,
            "unit": k.unit or "",
            "direction": k.direction or "",
            "baseline_value": k.baseline_value or "",
            "baseline_fy": k.baseline_fy,
            "kind": k.kind or "",
        }
        for i, t in enumerate(k.targets.all()):
            data[f"target_value_{i}"] = t.value
            data[f"target_fy_{i}"] = t.fiscal_year
        return data

    def to_input(self) -> KpiInput:
        cd = self.cleaned_data
        return KpiInput(
            indicator=cd["indicator"],
            unit=cd["unit"],
            direction=cd["direction"],
            baseline_value=cd["baseline_value"],
            baseline_fy=cd["baseline_fy"],
            kind=cd.get("kind") or "",
            targets=[
                (cd.get(f"target_value_{i}") or "", cd.get(f"target_fy_{i}")) for i in range(self.targets)
            ],
        )


class ScheduleForm(RevisionForm):
    def __init__(self, *args: Any, years: list[int], language: str | None = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.years = years
        for fy in years:
            self.fields[f"fy_{fy}"] = forms.CharField(
                label=fiscal_year_label(fy, language),
                required=False,
                max_length=200,
                widget=forms.TextInput(attrs={"list": "phase-words", "size": 12}),
            )

    def cells(self) -> list[tuple[int, str]]:
        return [(fy, self.cleaned_data.get(f"fy_{fy}") or "") for fy in self.years]


class MoveForm(RevisionForm):
    step = forms.TypedChoiceField(coerce=int, choices=[(-1, "-1"), (1, "1")], required=False)
    position = forms.IntegerField(label=_("移動先の順番"), required=False, min_value=1)


class PlanForm(RevisionForm):
    title = forms.CharField(label=_("計画名"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    kinds = forms.MultipleChoiceField(
        label=_("計画の種類"), required=False, widget=forms.CheckboxSelectMultiple, choices=[]
    )
    period_start = forms.IntegerField(label=_("計画期間の始まり（年度・西暦）"), required=False, **FY)
    period_end = forms.IntegerField(
        label=_("計画期間の終わり（年度・西暦）"),
        required=False,
        help_text=_("終わりのない計画（毎年度見直し）は空欄"),
        **FY,
    )
    period_note = forms.CharField(label=_("期間の注記"), required=False, max_length=500)
    published = forms.CharField(label=_("公表年月"), required=False, max_length=7, help_text=_("例: 2025-04"))
    version = forms.CharField(label=_("版"), required=False, max_length=50)
    contact_section = forms.CharField(label=_("問い合わせ先（担当課・係）"), required=False, max_length=200)
    contact_phone = forms.CharField(
        label=_("問い合わせ先（電話番号）"),
        required=False,
        max_length=50,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    contact_email = forms.EmailField(label=_("問い合わせ先（電子メール）"), required=False, max_length=200)
    related_plans = forms.CharField(
        label=_("位置付け: 関連する計画（1 行に 1 つ。例: 第6次総合計画、県の官民データ活用推進計画）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["kinds"].choices = [(k, k) for k in KINDS]

    @staticmethod
    def initial_for(p: pm.Plan) -> dict[str, Any]:
        contact = p.contact or {}
        return {
            "revision": p.revision,
            "title": p.title,
            "kinds": list(p.kinds),
            "period_start": p.period_start,
            "period_end": p.period_end,
            "period_note": p.period_note or "",
            "published": p.published,
            "version": p.version or "",
            "contact_section": contact.get("section", ""),
            "contact_phone": contact.get("phone", ""),
            "contact_email": contact.get("email", ""),
            "related_plans": "\n".join(p.related_plans or []),
        }

    def to_input(self) -> PlanInput:
        cd = self.cleaned_data
        return PlanInput(
            title=cd["title"],
            kinds=list(cd["kinds"]),
            period_start=cd["period_start"],
            period_end=cd["period_end"],
            period_note=cd["period_note"],
            published=cd["published"],
            version=cd["version"],
            contact_section=cd["contact_section"],
            contact_phone=cd["contact_phone"],
            contact_email=cd["contact_email"],
            related_plans=_lines(cd["related_plans"]),
        )


class SectionForm(RevisionForm):
    key = forms.CharField(label=_("番号"), required=False, max_length=50)
    title = forms.CharField(label=_("見出し"), max_length=500)
    text = forms.CharField(
        label=_("本文（Markdown: # 見出し、- 箇条書き、空行で段落）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )


class PolicyForm(RevisionForm):
    key = forms.CharField(label=_("番号"), max_length=100, help_text=_("例: I、(1)、1-①"))
    title = forms.CharField(label=_("名称"), max_length=500)


class NewPolicyForm(PolicyForm):
    parent = forms.TypedChoiceField(label=_("上位の施策体系"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, policies: list[pm.Policy], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["parent"].choices = [("", gettext("（最上位）"))] + [
            (p.pk, "\u3000" * p.depth + f"{p.key} {p.title}"[:100]) for p in policies
        ]


class PolicyMoveForm(RevisionForm):
    parent = forms.TypedChoiceField(
        label=_("移動先（上位の施策体系）"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, policies: list[pm.Policy], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["parent"].choices = [("", gettext("（最上位）"))] + [
            (p.pk, "\u3000" * p.depth + f"{p.key} {p.title}"[:100]) for p in policies
        ]


class TitleForm(RevisionForm):
    """The measure's title alone (inline editing on the plan editor's list)."""

    title = forms.CharField(label=_("施策名"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
