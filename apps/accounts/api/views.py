"""Token exchange and the caller's profile."""

from typing import Any

from django.contrib.auth import authenticate
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions, views
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from apps.accounts.api.serializers import MeSerializer, TokenRequestSerializer, TokenSerializer
from apps.accounts.services import api_token_issue
from apps.core.api.exceptions import validated


class LoginRateThrottle(AnonRateThrottle):
    """Slow down password guessing on the token endpoint."""

    rate = "20/min"


class ObtainTokenView(views.APIView):
    """POST {"username", "password"} → {"token"}."""

    authentication_classes: list[Any] = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [LoginRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer, auth=[])
    def post(self, request: Request) -> Response:
        """Exchange credentials for the user's API token."""
        data = TokenRequestSerializer(data=request.data)
        validated(data)
        user = authenticate(request._request, **data.validated_data)
        if user is None or not user.is_active:
            # 400 as in DRF's obtain_auth_token: a bad request, with no auth scheme to challenge.
            raise exceptions.ValidationError({"detail": "用户名或密码错误。"})
        token = api_token_issue(user=user)
        return Response({"token": token.key})


class MeView(views.APIView):
    """The signed-in user."""

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        """Return the caller's profile, roles and scope."""
        return Response(MeSerializer(request.user).data)
