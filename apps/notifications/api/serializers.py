"""API representations of notifications."""

from rest_framework import serializers

from apps.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    """One notification of the caller; `link` is a path on this site."""

    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "link", "created_at", "read_at", "is_read"]
        read_only_fields = fields


class ReadAllResultSerializer(serializers.Serializer):
    """How many notifications `read-all` changed."""

    updated = serializers.IntegerField(read_only=True)
