"""Token authentication: `POST /api/v1/auth/token/` with username and password."""

from drf_spectacular.utils import OpenApiExample, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken


@extend_schema(
    tags=["auth"],
    summary="Получить токен",
    description=(
        "Обменивает имя пользователя и пароль на постоянный токен. Передавайте его в заголовке "
        "`Authorization: Token <токен>`."
    ),
    request=AuthTokenSerializer,
    responses={
        200: inline_serializer("TokenResponse", fields={"token": serializers.CharField()}),
        400: inline_serializer(
            "TokenError",
            fields={"non_field_errors": serializers.ListField(child=serializers.CharField())},
        ),
    },
    examples=[
        OpenApiExample(
            "Ответ", value={"token": "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"}, response_only=True
        )
    ],
)
class ObtainTokenView(ObtainAuthToken):
    """Answers the user's token (created on first request) for a correct username and password."""
