"""Endpoints of the support structure and events (read and write), one viewset per model.

A user reads what `SUPPORT_VIEW` reaches; a write needs the right over the object's owner
territory (`opora.support.permissions.can_edit`: SUPPORT_EDIT, EVENT_EDIT for events) — for a
new object, over the territory it names. Every write goes through `opora.support.services`.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from opora.api.scoping import ScopedGenericViewSet
from opora.core.models import AuditEntry
from opora.support.api import API_SPECS, ApiSpec
from opora.support.permissions import SUPPORT_VIEW, can_edit
from opora.support.services import support_delete

API = AuditEntry.Source.API
NO_RIGHT = "Эта территория вне вашей зоны ответственности."


class SupportViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    ScopedGenericViewSet,
):
    """List, read, create (POST), change (PATCH) and delete one kind of support object."""

    capability = SUPPORT_VIEW
    spec: ApiSpec
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def base_queryset(self) -> QuerySet[Any]:
        return self.spec.base()

    def _save(self, request: Request, instance: Any, partial: bool) -> Response:
        serializer = self.spec.serializer(
            instance if partial else None, data=request.data, partial=partial
        )
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        extra = {name: values.pop(name) for name in self.spec.extra_fields if name in values}
        target: Any = instance if instance is not None else self.spec.model()
        for name, value in values.items():
            setattr(target, name, value)
        if {"school", "municipality"} & set(values):
            if values.get("school") is None and "school" in values:
                target.school = None
            target.fill_territory()
        if not can_edit(request.user, target):
            raise PermissionDenied(NO_RIGHT)
        try:
            saved = self.spec.save(request.user, target, extra, API)
        except ValidationError as error:
            raise ApiValidationError(
                error.message_dict if hasattr(error, "error_dict") else {"detail": error.messages}
            ) from error
        body = self.spec.serializer(self.spec.base().get(pk=saved.pk)).data
        return Response(body, status=status.HTTP_200_OK if partial else status.HTTP_201_CREATED)

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return self._save(request, None, partial=False)

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        if not can_edit(request.user, instance):
            raise PermissionDenied(NO_RIGHT)
        return self._save(request, instance, partial=True)

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        instance = self.get_object()
        if not can_edit(request.user, instance):
            raise PermissionDenied(NO_RIGHT)
        support_delete(actor=request.user, instance=instance, source=API)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _viewset(spec: ApiSpec) -> type[SupportViewSet]:
    title = str(spec.model._meta.verbose_name_plural).capitalize()
    one = str(spec.model._meta.verbose_name)
    cls = type(
        f"{spec.model.__name__}ViewSet",
        (SupportViewSet,),
        {"spec": spec, "serializer_class": spec.serializer, "__doc__": f"{title}."},
    )
    tags = ["support"]
    return extend_schema_view(
        list=extend_schema(summary=title, tags=tags),
        retrieve=extend_schema(summary=one.capitalize(), tags=tags),
        create=extend_schema(summary=f"Добавить: {one}", tags=tags),
        partial_update=extend_schema(summary=f"Изменить: {one}", tags=tags),
        destroy=extend_schema(summary=f"Удалить: {one}", tags=tags),
    )(cls)


SUPPORT_VIEWSETS: list[tuple[str, type[SupportViewSet], str]] = [
    (f"support/{spec.prefix}", _viewset(spec), f"support-{spec.model._meta.model_name}")
    for spec in API_SPECS
]
