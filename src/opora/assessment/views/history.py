"""Import history: every loaded result file with its counts and state, and its rollback."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from opora.accounts.policy import user_can
from opora.accounts.roles import Capability
from opora.assessment.choices import Period
from opora.assessment.figures import Catalogue, catalogue
from opora.assessment.selectors import batch_for_rollback, batches_for
from opora.assessment.services import results_import_rollback
from opora.core.models import AuditEntry

PAGE_SIZE = 30


@login_required
@require_http_methods(["GET", "POST"])
def results_import_history(request: HttpRequest) -> HttpResponse:
    """Batches newest first; `?confirm=N` asks to confirm the rollback of batch N (a POST)."""
    user = request.user
    if not user_can(user, Capability.RESULTS_IMPORT):
        raise PermissionDenied("Нет права просматривать и отменять загрузки результатов")
    if request.method == "POST":
        batch = batch_for_rollback(user, request.POST.get("batch", ""))
        if batch is None or request.POST.get("confirm") != "yes":
            messages.error(request, "Пакет не найден или не может быть отменён.")
            return redirect("results-import-history")
        try:
            deleted = results_import_rollback(actor=user, batch=batch, source=AuditEntry.Source.WEB)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                f"Загрузка №{batch.pk} «{batch.file_name}» отменена: удалено строк {deleted}.",
            )
        return redirect("results-import-history")
    confirm = batch_for_rollback(user, request.GET.get("confirm", ""))
    page = Paginator(batches_for(user), PAGE_SIZE).get_page(request.GET.get("page"))
    names = catalogue()
    rows = [(batch, composition(batch.summary, names)) for batch in page]
    return render(
        request,
        "assessment/import/history.html",
        {"page": page, "rows": rows, "confirm": confirm},
    )


def composition(summary: list[dict[str, Any]], names: Catalogue) -> list[str]:
    """The composition of a batch in Russian: «ВПР · Математика · 2024 · основной: 120»."""
    periods = dict(Period.choices)
    return [
        f"{names.procedure_name(str(item.get('procedure')))} · "
        f"{names.subject_name(str(item.get('subject')))} · {item.get('year')} · "
        f"{periods.get(str(item.get('period')), item.get('period'))}: {item.get('rows')}"
        for item in summary
    ]
