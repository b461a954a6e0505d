"""The budget (смета) tab of a program: lines by group of activities, planned versus spent;
the program's own level adds, changes and deletes lines."""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from opora.core.models import AuditEntry
from opora.programs.budget import budget_groups, budget_line_delete, budget_line_save
from opora.programs.forms import add_service_errors
from opora.programs.models import BudgetLine, Program, Track
from opora.programs.permissions import can_edit_program
from opora.programs.views import program_in_scope

WEB = AuditEntry.Source.WEB


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["track", "item", "year", "funding_source", "planned", "spent"]
        localized_fields = ["planned", "spent"]

    def __init__(self, *args: Any, program: Program, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.program = program
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)
        track.queryset = Track.objects.filter(program=program).order_by("position", "id")
        track.empty_label = "программа в целом"


@login_required
def program_budget(request: HttpRequest, program_id: int) -> HttpResponse:
    program = program_in_scope(request, program_id)
    can_edit = can_edit_program(request.user, program)
    form = BudgetLineForm(None, program=program) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав для изменения программы.")
        line_id = request.POST.get("delete", "")
        if line_id.isdigit():
            line = BudgetLine.objects.filter(program=program, pk=int(line_id)).first()
            if line is not None:
                budget_line_delete(actor=request.user, line=line, source=WEB)
                messages.success(request, "Строка сметы удалена.")
            return redirect("programs:budget", program_id=program.pk)
        form = BudgetLineForm(request.POST, program=program)
        if form.is_valid():
            try:
                budget_line_save(actor=request.user, line=form.instance, source=WEB)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Строка сметы добавлена.")
                return redirect("programs:budget", program_id=program.pk)
    groups, planned, spent = budget_groups(program)
    return render(
        request,
        "programs/budget.html",
        {
            "program": program,
            "groups": groups,
            "planned": planned,
            "spent": spent,
            "form": form,
            "can_edit": can_edit,
        },
    )
