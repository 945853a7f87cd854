"""API representations of the signed-in user and the token exchange."""

from rest_framework import serializers

from apps.accounts.models import User
from apps.core.api.fields import StrictCharField


class TokenRequestSerializer(serializers.Serializer):
    """Credentials exchanged for an API token."""

    username = StrictCharField(label="用户名", max_length=150)
    password = StrictCharField(
        label="密码", style={"input_type": "password"}, trim_whitespace=False, max_length=128
    )


class TokenSerializer(serializers.Serializer):
    """The token to send as `Authorization: Token <token>`."""

    token = serializers.CharField()


class MeSerializer(serializers.ModelSerializer):
    """Who the caller is, what roles they hold and where their scope lies."""

    roles = serializers.SerializerMethodField()
    unit_name = serializers.CharField(source="unit.name", default=None, allow_null=True, read_only=True)
    scope_region_name = serializers.CharField(
        source="scope_region.name", default=None, allow_null=True, read_only=True
    )
    grid_ids = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "real_name",
            "mobile",
            "roles",
            "unit",
            "unit_name",
            "scope_region",
            "scope_region_name",
            "grid_ids",
        ]

    def get_roles(self, user: User) -> list[dict[str, str]]:
        """Role codes with their Chinese labels."""
        return [{"code": role.value, "label": str(role.label)} for role in user.roles]

    def get_grid_ids(self, user: User) -> list[int]:
        """Grids assigned to a grid worker."""
        return sorted(user.grid_assignments.values_list("grid_id", flat=True))
