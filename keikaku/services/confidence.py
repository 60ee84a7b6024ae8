"""What an editor should still look at in an imported draft (要確認): pillars the importer inferred
(source ``inferred``, not stated in the document nor chosen by a person) and KPI values it guessed
(keikaku.core.guesses: not written in the KPI's source excerpt), until a person confirms them
(keikaku.services.editing.measure_confirm, or saving the pillars / the KPI in the editor)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch

from keikaku.core.guesses import kpi_guesses
from keikaku.db.plans import models as pm


@dataclass(frozen=True)
class Unconfirmed:
    pillars: list[str] = field(default_factory=list)  # inferred pillar codes
    kpis: list[tuple[pm.Kpi, list[str]]] = field(default_factory=list)  # KPI, its guessed fields

    def __bool__(self) -> bool:
        return bool(self.pillars or self.kpis)

    @property
    def labels(self) -> list[str]:
        """Short Japanese words of what to check: 柱 (推定), KPI の目標年度 …"""
        out = ["柱（推定）"] if self.pillars else []
        for _k, fields in self.kpis:
            out += [f"KPI の{f}" for f in fields if f"KPI の{f}" not in out]
        return out


def _text(provenance: dict | None) -> str:
    return str((provenance or {}).get("text") or "")


def measure_unconfirmed(ms: pm.Measure) -> Unconfirmed:
    """The measure's unconfirmed fields (its pillar_refs and kpis__targets prefetched, or queried)."""
    pillars = [r.code for r in ms.pillar_refs.all() if r.source == "inferred"]
    kpis = []
    for k in ms.kpis.all():
        if k.confirmed:
            continue
        targets = [(t.value, t.fiscal_year) for t in k.targets.all()]
        baseline = (k.baseline_value or "", k.baseline_fy) if k.has_baseline else None
        guessed = kpi_guesses(baseline, targets, _text(k.provenance) or _text(ms.provenance))
        if guessed:
            kpis.append((k, guessed))
    return Unconfirmed(pillars, kpis)


def plan_unconfirmed(plan: pm.Plan) -> dict[int, Unconfirmed]:
    """Measure id → its unconfirmed fields, for the measures that have any."""
    qs = plan.measures.prefetch_related(
        "pillar_refs", Prefetch("kpis", queryset=pm.Kpi.objects.prefetch_related("targets"))
    )
    return {ms.pk: u for ms in qs if (u := measure_unconfirmed(ms))}
