"""Partner pairs from the suggestions of the analysis (the partner matching of DOMAIN §5.9).

For the registry schools of the latest analysis run the user may see, the suggested partners
(the assigned one first) with a button that creates the pair (origin «из предложений анализа»).
A suggested partner outside the user's scope is shown by its code only. The page reads the
analysis through its selectors (views may; the support domain code does not).
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.accounts.policy import user_can
from opora.analysis import selectors as analysis
from opora.analysis.choices import ResultKind
from opora.core.models import AuditEntry
from opora.support.choices import PairOrigin
from opora.support.models import PartnerPair
from opora.support.permissions import SUPPORT_EDIT, can_edit
from opora.support.selectors import visible_school_ids
from opora.support.services import pair_save
from opora.territory.models import School

SHOWN = 3  # suggestions per school on the page


def _suggestions(user: Any) -> tuple[Any, list[dict[str, Any]]]:
    run = analysis.default_run(user)
    if run is None:
        return None, []
    lines = analysis.registry_lines(user, run, analysis.RegistryFilters()).select_related(
        "school__municipality__region"
    )
    existing = set(PartnerPair.objects.values_list("school_id", "partner_id"))
    visible = visible_school_ids(user)
    rows = []
    for line in lines:
        stored = analysis.school_result(user, run, line.school, ResultKind.PARTNERS)
        table = stored.table("partners") if stored is not None else []
        table.sort(key=lambda r: (not r.get("assigned"), r.get("rank", 0)))
        partners = analysis.schools_by_id([r["partner_id"] for r in table[:SHOWN]])
        probe = PartnerPair(school=line.school)
        probe.fill_territory()
        rows.append(
            {
                "school": line.school,
                "editable": can_edit(user, probe),
                "partners": [
                    {
                        "row": r,
                        "school": partners.get(r["partner_id"]),
                        "visible": r["partner_id"] in visible,
                        "exists": (line.school_id, r["partner_id"]) in existing,
                    }
                    for r in table[:SHOWN]
                ],
            }
        )
    return run, rows


@login_required
def pair_suggestions(request: HttpRequest) -> HttpResponse:
    if not user_can(request.user, SUPPORT_EDIT):
        raise PermissionDenied("Недостаточно прав для этого раздела.")
    run, rows = _suggestions(request.user)
    if request.method == "POST":
        school_id, partner_id = request.POST.get("school"), request.POST.get("partner")
        match = next(
            (
                (row, p)
                for row in rows
                for p in row["partners"]
                if str(row["school"].pk) == school_id and str(p["row"]["partner_id"]) == partner_id
            ),
            None,
        )
        if match is not None and run is not None:
            row, suggestion = match
            if not row["editable"]:
                raise PermissionDenied("Эта школа вне вашей зоны ответственности.")
            pair = PartnerPair(
                school=row["school"],
                partner=School.objects.get(pk=suggestion["row"]["partner_id"]),
                origin=PairOrigin.SUGGESTION,
                origin_note=f"Анализ №{run.pk} ({run.year}), место в списке: {suggestion['row'].get('rank')}",
            )
            try:
                pair_save(actor=request.user, pair=pair, source=AuditEntry.Source.WEB)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, "Пара создана из предложения анализа.")
            return redirect("support:pairs-suggestions")
    return render(request, "support/suggestions.html", {"run": run, "rows": rows})
