"""Forms of the manage pages. Every edit form carries the record's ``revision`` (optimistic lock)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from keikaku.db.plans import models as pm
from keikaku.db.progress import models as gm
from keikaku.web.progress.wording import kpi_reference


class Form(forms.Form):
    """Form-wide errors are shown once, above the form (progress/_errors.html), not again inside it."""

    template_name_div = "progress/forms/div.html"


class RevisionForm(Form):
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class ReportForm(RevisionForm):
    status = forms.ChoiceField(label=_("進捗状況"))
    narrative = forms.CharField(
        label=_("取組の状況"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence = forms.CharField(
        label=_("根拠資料のリンク（1 行に 1 件、http(s) の URL）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, statuses: list[str], kpis: list[pm.Kpi], **kw) -> None:
        super().__init__(*args, **kw)
        self.fields["status"].choices = [(s, s) for s in statuses]
        self.kpis = kpis
        for k in kpis:
            if k.unit:
                label = gettext("実績: %(indicator)s（%(unit)s）") % {
                    "indicator": k.indicator,
                    "unit": k.unit,
                }
            else:
                label = gettext("実績: %(indicator)s") % {"indicator": k.indicator}
            self.fields[f"kpi_{k.pk}"] = forms.CharField(
                label=label,
                required=False,
                max_length=500,
                help_text=kpi_reference(k)
                + " — "
                + gettext(
                    "数値と単位（例: 30%、1,200件、1.2万件。全角でも可）。定性の指標は 実施・導入完了 などの言葉"
                ),
            )

    def evidence_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("evidence", "").splitlines() if line.strip()]


class ReviewForm(RevisionForm):
    comment = forms.CharField(
        label=_("コメント（差戻しでは必須）"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PeriodForm(Form):
    fiscal_year = forms.IntegerField(label=_("年度（西暦）"), min_value=1900, max_value=2200)
    quarter = forms.TypedChoiceField(
        label=_("四半期"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("年度全体")),
            (1, _("第1四半期")),
            (2, _("第2四半期")),
            (3, _("第3四半期")),
            (4, _("第4四半期")),
        ],
    )
    due_date = forms.DateField(
        label=_("提出期限 (YYYY-MM-DD)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PeriodEditForm(RevisionForm):
    state = forms.ChoiceField(label=_("状態"), choices=gm.ReportingPeriod.State.choices)
    due_date = forms.DateField(
        label=_("提出期限 (YYYY-MM-DD)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class EvaluationForm(RevisionForm):
    decision = forms.ChoiceField(label=_("方向性"), choices=gm.Decision.choices)
    rationale = forms.CharField(
        label=_("評価の理由"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    merge_into = forms.TypedChoiceField(
        label=_("統合先（統合のとき）"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, measures: list[pm.Measure], **kw) -> None:
        super().__init__(*args, **kw)
        self.fields["merge_into"].choices = [("", "—")] + [
            (m.pk, f"{m.key or ''} {m.title}"[:80]) for m in measures
        ]


class MergeForm(Form):
    keep = forms.TypedChoiceField(label=_("残す部署"), coerce=int)
    alias = forms.TypedChoiceField(label=_("統合する部署（別名として記録）"), coerce=int)

    def __init__(self, *args, departments: list[pm.Department], **kw) -> None:
        super().__init__(*args, **kw)
        choices = [(d.pk, d.name) for d in departments]
        self.fields["keep"].choices = choices
        self.fields["alias"].choices = choices


class ReviseForm(RevisionForm):
    fiscal_year = forms.IntegerField(
        label=_("評価の年度（西暦）"), min_value=1900, max_value=2200, required=False
    )
