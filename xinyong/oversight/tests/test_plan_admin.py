"""The plan's back office is view-only and filters tasks by section and by unit (groups included)."""

import pytest
from django.test import Client

from tests.support.otp import verified_login
from xinyong.accounts.models import User
from xinyong.oversight.models import PlanTask
from xinyong.oversight.services import PlanLoadResult

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/oversight/plantask/"


@pytest.fixture
def admin_client(db: None) -> Client:
    client = Client(HTTP_HOST="localhost")
    verified_login(client, User.objects.create_superuser("root", "root@example.org", "a-long-password"))
    return client


def _numbers(response) -> list[int]:
    return sorted(task.number for task in response.context["cl"].result_list)


def test_task_list_filters_by_unit_through_groups(loaded: PlanLoadResult, admin_client: Client) -> None:
    response = admin_client.get(CHANGELIST, {"unit": "bj-haidian", "section__id__exact": _section_pk(9)})
    assert response.status_code == 200
    assert _numbers(response) == [51, 54]


def test_task_pages_are_view_only(loaded: PlanLoadResult, admin_client: Client) -> None:
    task = PlanTask.objects.get(number=35)
    response = admin_client.get(f"{CHANGELIST}{task.pk}/change/")
    assert response.status_code == 200
    assert response.context["has_change_permission"] is False
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403
    assert admin_client.get("/admin/oversight/plan/").status_code == 200


def _section_pk(number: int) -> int:
    return PlanTask.objects.filter(section__number=number).values_list("section_id", flat=True)[0]
