"""The upload page of result files: check or load a file in the background and show its progress.

POST starts a job (`import_jobs.start`) and redirects to `?job=<token>`; the page then polls the
progress endpoint with htmx until the job ends, and shows the error report or the summary. Without
JavaScript the «Обновить» link does the same. Only the session that started a job can see it.
"""

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from opora.accounts.policy import user_can
from opora.accounts.roles import Capability
from opora.assessment import import_jobs
from opora.assessment.forms import ResultsUploadForm

SESSION_KEY = "results_import_jobs"
KEPT_JOBS = 20


def _require_import(request: HttpRequest) -> None:
    if not user_can(request.user, Capability.RESULTS_IMPORT):
        raise PermissionDenied("Нет права загружать результаты")


def _own_job(request: HttpRequest) -> import_jobs.ImportJob | None:
    token = request.GET.get("job", "")
    if token not in request.session.get(SESSION_KEY, []):
        return None
    return import_jobs.load(token)


@login_required
@require_http_methods(["GET", "POST"])
def results_import(request: HttpRequest) -> HttpResponse:
    """The upload form; after a POST, the progress and the outcome of the job."""
    _require_import(request)
    form = ResultsUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_jobs.start(
            actor=request.user,
            data=upload.read(),
            file_name=upload.name,
            format_code=form.cleaned_data["format"],
            dry_run=form.cleaned_data["dry_run"],
            options=form.options(),
        )
        tokens = [job.token, *request.session.get(SESSION_KEY, [])][:KEPT_JOBS]
        request.session[SESSION_KEY] = tokens
        return redirect(f"{reverse('results-import')}?job={job.token}")
    context: dict[str, Any] = {"form": form, "job": _own_job(request)}
    return render(request, "assessment/import/page.html", context)


@login_required
def results_import_progress(request: HttpRequest) -> HttpResponse:
    """The state of a job as a fragment (htmx polls it every second until the job ends)."""
    _require_import(request)
    return render(request, "assessment/import/job.html", {"job": _own_job(request)})
