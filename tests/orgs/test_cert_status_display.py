"""A certificate past its 有效期至 reads 已过期 on the staff pages, never 有效 (issue 18)."""
import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from zhifa.orgs.models import Certificate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(shared_world):
    return shared_world


def test_expired_certificate_reads_expired_in_list_and_detail(world):
    cert = Certificate.objects.filter(officer__entity=world["smj"], status="valid").first()
    Certificate.objects.filter(pk=cert.pk).update(issued_on=dt.date(2018, 1, 1), expires_on=dt.date(2026, 6, 30))
    cert.refresh_from_db()
    c = Client()
    c.force_login(world["admin"])
    with time_machine.travel(dt.datetime(2026, 7, 1, 9), tick=False):
        assert cert.status_on() == "已过期" and cert.get_status_display() == "已过期"
        page = c.get(reverse("certificates-list") + f"?q={cert.number}").content.decode()
        row = page[page.index(f">{cert.number}<"):]
        row = row[:row.index("</tr>")]
        assert "已过期" in row and "有效" not in row.replace("有效期", "")
        detail = c.get(reverse("certificates-detail", args=[cert.pk])).content.decode()
        assert "已过期" in detail
    with time_machine.travel(dt.datetime(2026, 6, 30, 9), tick=False):
        assert cert.status_on() == "有效"  # the last day still counts
    assert cert.status_on(dt.date(2017, 12, 31)) == "未生效"
    Certificate.objects.filter(pk=cert.pk).update(status="suspended")
    cert.refresh_from_db()
    assert cert.status_on(dt.date(2027, 1, 1)) == "暂扣"
