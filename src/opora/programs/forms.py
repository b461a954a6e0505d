"""Forms of the program pages."""

from typing import Any

from django import forms

from opora.programs.models import Activity


class ActivityForm(forms.ModelForm):
    """Edit an activity; `version` carries the version the editor started from."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Activity
        fields = [
            "number",
            "name",
            "form",
            "deadline_text",
            "responsible_org",
            "responsible_person",
            "participants",
            "expected_result",
            "status",
            "done_on",
            "completion_comment",
        ]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 3}),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
            "participants": forms.Textarea(attrs={"rows": 2}),
            "completion_comment": forms.Textarea(attrs={"rows": 2}),
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def changes(self) -> dict[str, Any]:
        """The edited fields only, so the service records exactly what the user changed."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields}
