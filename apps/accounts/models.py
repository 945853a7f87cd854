"""Users and their roles; a user may hold several roles and sees the union of what they allow."""

from __future__ import annotations

from functools import cached_property

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models

from apps.accounts.roles import MANAGE_EVERYTHING, SEE_EVERYTHING, Role

__all__ = ["MANAGE_EVERYTHING", "SEE_EVERYTHING", "Role", "User", "UserRole", "mobile_validator"]


mobile_validator = RegexValidator(r"^1[3-9]\d{9}$", "请输入11位手机号码。")


class User(AbstractUser):
    """A person who signs in: office, leader, unit, street/community staff, grid worker, inspector."""

    real_name = models.CharField("姓名", max_length=30, blank=True)
    mobile = models.CharField("手机号", max_length=11, blank=True, validators=[mobile_validator])
    unit = models.ForeignKey(
        "regions.Unit",
        verbose_name="所属单位",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
    )
    scope_region = models.ForeignKey(
        "regions.Region",
        verbose_name="管辖区域",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff",
        help_text="街道、社区工作人员管辖的区域（含下级）。",
    )

    class Meta:
        verbose_name = "用户"
        verbose_name_plural = "用户"

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """Real name when known, else the login name."""
        return self.real_name or self.username

    @cached_property
    def role_codes(self) -> frozenset[str]:
        """The roles held; a superuser counts as 创卫办管理员. Cached for the request."""
        codes = set(self.role_grants.values_list("role", flat=True)) if self.pk else set()
        if self.is_superuser:
            codes.add(Role.ADMIN)
        return frozenset(codes)

    @property
    def roles(self) -> list[Role]:
        """Held roles in the enum's order, for display."""
        return [role for role in Role if role in self.role_codes]

    def has_role(self, *roles: str) -> bool:
        """True when the user holds any of the roles."""
        return not self.role_codes.isdisjoint(roles)

    @property
    def sees_everything(self) -> bool:
        """Office, leaders and inspectors see the whole city."""
        return self.has_role(*SEE_EVERYTHING)

    @property
    def manages_everything(self) -> bool:
        """Only the office may change anything anywhere."""
        return self.has_role(*MANAGE_EVERYTHING)

    def clean(self) -> None:
        """Territorial staff need a territory; unit staff need a unit (checked against roles when saved)."""
        super().clean()
        if self.scope_region is not None and self.scope_region.level == "grid":
            raise ValidationError({"scope_region": "管辖区域不能是网格；网格员请在网格员分配中指定。"})


class UserRole(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, verbose_name="用户", on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="userrole_unique_user_role")]
        indexes = [models.Index(fields=["role"], name="userrole_role_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"
