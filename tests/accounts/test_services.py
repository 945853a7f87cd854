"""accounts' own writes (apps/accounts/services.py): users, roles and API tokens, knowing nothing of regions;
the placement rules are regions' (tests/regions/test_staff.py)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from apps.accounts.models import User, UserRole
from apps.accounts.roles import MANAGE_EVERYTHING, SEE_EVERYTHING, Role
from apps.accounts.services import api_token_issue, user_create, user_set_roles, users_bulk_create
from tests.accounts.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_a_created_user_holds_its_roles_and_signs_in_with_its_password() -> None:
    user = user_create(username="u1", password=PASSWORD, roles=[Role.OFFICE, Role.LEADER], real_name="王五")
    assert User.objects.get(pk=user.pk).role_codes == {Role.OFFICE, Role.LEADER}
    assert user.check_password(PASSWORD)
    assert user.display_name == "王五"
    assert not user.is_staff


def test_the_admin_role_and_superusers_may_use_the_admin_site() -> None:
    assert user_create(username="a", password=PASSWORD, roles=[Role.ADMIN]).is_staff
    superuser = user_create(username="s", password=PASSWORD, roles=[], is_superuser=True)
    assert superuser.is_staff
    assert superuser.role_codes == {Role.ADMIN}


def test_a_bad_mobile_number_is_refused_in_chinese_and_nothing_is_written() -> None:
    with pytest.raises(ValidationError) as refused:
        user_create(username="m", password=PASSWORD, roles=[Role.OFFICE], mobile="12345")
    assert refused.value.message_dict == {"mobile": ["请输入11位手机号码。"]}
    assert not User.objects.exists()
    assert not UserRole.objects.exists()


def test_setting_roles_replaces_them_and_forgets_the_cached_codes() -> None:
    user = user_create(username="r", password=PASSWORD, roles=[Role.OFFICE, Role.LEADER])
    assert user.role_codes == {Role.OFFICE, Role.LEADER}
    user_set_roles(user=user, roles=[Role.LEADER, Role.INSPECTOR])
    assert user.role_codes == {Role.LEADER, Role.INSPECTOR}
    assert User.objects.get(pk=user.pk).role_codes == {Role.LEADER, Role.INSPECTOR}


def test_users_are_saved_in_bulk_with_one_role_in_three_queries() -> None:
    rows = [User(username=f"b{i}", password="x") for i in (2, 1)]
    with CaptureQueriesContext(connection) as queries:
        saved = users_bulk_create(users=rows, role=Role.GRID_WORKER)
    assert len([q for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]) == 3
    assert [user.username for user in saved] == ["b1", "b2"]
    assert all(user.role_codes == {Role.GRID_WORKER} for user in saved)


def test_the_api_token_is_issued_once_and_then_reused() -> None:
    user = user_create(username="t", password=PASSWORD, roles=[Role.GRID_WORKER])
    assert api_token_issue(user=user).key == api_token_issue(user=user).key


@pytest.mark.parametrize(
    ("roles", "sees", "manages"),
    [
        ({Role.ADMIN}, True, True),
        ({Role.OFFICE}, True, True),
        ({Role.LEADER}, True, False),
        ({Role.INSPECTOR}, True, False),
        ({Role.STREET, Role.GRID_WORKER}, False, False),
    ],
)
def test_the_role_groupings_decide_who_sees_and_changes_the_whole_city(
    roles: set[str], sees: bool, manages: bool
) -> None:
    user = User(username="g")
    user.__dict__["role_codes"] = frozenset(roles)
    assert (user.sees_everything, user.manages_everything) == (sees, manages)
    assert bool(roles & SEE_EVERYTHING) == sees
    assert bool(roles & MANAGE_EVERYTHING) == manages
