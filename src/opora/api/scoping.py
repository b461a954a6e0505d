"""The scoped base of every API viewset.

A viewset names its `capability` and a `base_queryset()`; `get_queryset` passes it through
`objects_for(request.user, capability, ...)` before filters, ordering or lookups apply, so an object
out of the user's scope answers 404 exactly as on the pages. A user who holds the capability
nowhere gets 403.
"""

from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.http import Http404
from rest_framework import mixins, permissions, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.views import APIView

from opora.accounts.policy import objects_for, user_can
from opora.api.pagination import OporaPagination

NOT_FOUND = "Объект не найден или недоступен."


class HoldsCapability(permissions.BasePermission):
    """The user is signed in and holds the view's capability over some territory."""

    message = "Недостаточно прав для этого раздела."

    def has_permission(self, request: Request, view: APIView) -> bool:
        capability = getattr(view, "capability", None)
        if capability is None:
            return False
        return bool(request.user and request.user.is_authenticated) and user_can(
            request.user, capability
        )


class ScopedGenericViewSet(viewsets.GenericViewSet):
    """Scope the queryset of a viewset to what `request.user` may see with `capability`.

    Every API viewset derives from this class (the v1 router refuses any other), so none can
    forget the scope.
    """

    capability: ClassVar[str]
    permission_classes = [permissions.IsAuthenticated, HoldsCapability]
    pagination_class = OporaPagination

    def base_queryset(self) -> QuerySet[Any]:
        """The unscoped queryset with its joins and annotations; override in a viewset."""
        raise NotImplementedError

    def get_queryset(self) -> QuerySet[Any]:
        user = getattr(self.request, "user", None)
        return objects_for(user, self.capability, self.base_queryset())

    def get_object(self) -> Any:
        """The object in scope, or 404 with a Russian message (Django's own is English)."""
        try:
            return super().get_object()
        except Http404 as exc:
            raise NotFound(NOT_FOUND) from exc


class ScopedReadOnlyViewSet(mixins.RetrieveModelMixin, mixins.ListModelMixin, ScopedGenericViewSet):
    """A read-only list/detail viewset over a scoped queryset."""


def scoped_model(viewset: type[ScopedGenericViewSet]) -> type[Model]:
    """The model a scoped viewset serves (used by the scope-walk test)."""
    return viewset().base_queryset().model
