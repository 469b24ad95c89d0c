"""The dispatch pages (command desk with the SVG map layer, 派发, a task's page with the assignee's
reports, 我的任务) and the API; the map needs no external tiles."""
import datetime as dt

from django.test import Client
from django.urls import reverse

from tests import factories
from tests.accounts.test_headers import check_headers
from tests.dispatch.conftest import T0, dispatch
from zhifa.dispatch import actions, geo
from zhifa.dispatch.models import DispatchTask, RegionOutline


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _outlines(world):
    county = world["regions"]["county"]
    factories.region("520502001", "市西街道", 4, county)
    factories.region("520502002", "市东街道", 4, county)
    from zhifa.dispatch.demo import seed_outlines

    return seed_outlines(county, acting_user=world["admin"])


def test_demo_outlines_tile_the_county():
    parent, children = geo.demo_outlines(["a", "b", "c", "d", "e"], seed="t")
    assert geo.check_geometry(parent) == "" and all(geo.check_geometry(c) == "" for c in children)
    assert len(children) == 5
    assert geo.check_geometry({"type": "Point", "coordinates": [1, 2]})
    assert geo.check_geometry({"type": "Polygon", "coordinates": [[[1, 2], [3, 4], [1, 2]]]})


def test_the_desk_draws_outlines_and_markers_as_svg(world):
    made = _outlines(world)
    assert len(made) == 3 and RegionOutline.objects.get(region=world["regions"]["county"]).source
    task = dispatch(world, latitude="27.30", longitude="105.30", now=None)
    c = _client(world["head"])
    r = c.get(reverse("dispatch-desk"))
    body = r.content.decode()
    assert r.status_code == 200 and "<svg" in body and "市西街道" in body and task.title in body
    svg = body.split('data-testid="dispatch-map"')[1].split("</svg>")[0]
    assert 'data-testid="marker"' in svg and "<image" not in svg and 'href="http' not in svg  # no external tiles
    check_headers(r)
    assert reverse("dispatch-new") in body


def test_a_head_dispatches_on_the_page_and_a_bad_field_is_named(world):
    c = _client(world["head"])
    r = c.get(reverse("dispatch-new"))
    assert r.status_code == 200
    data = {"title": "夜市占道经营巡查", "assignee": world["officer"].pk, "limit_unit": "hours", "limit_amount": "3",
            "source": "", "place": "夜市"}
    r = c.post(reverse("dispatch-new"), {**data, "limit_amount": "九"})
    assert r.status_code == 422 and "处置时限" in r.content.decode()
    r = c.post(reverse("dispatch-new"), {**data, "latitude": "200", "longitude": "105"})
    assert r.status_code == 422 and "纬度" in r.content.decode()
    r = c.post(reverse("dispatch-new"), data)
    task = DispatchTask.objects.get(title="夜市占道经营巡查")
    assert r.status_code == 302 and task.assignee == world["officer"]
    assert _client(world["officer"]).get(reverse("dispatch-new")).status_code == 403


def test_the_officer_reports_on_the_phone_pages(world):
    task = dispatch(world, now=None)
    c = _client(world["officer"])
    r = c.get(reverse("dispatch-mine"))
    assert r.status_code == 200 and task.title in r.content.decode()
    check_headers(r)
    r = c.post(reverse("dispatch-detail", args=[task.pk]), {"op": "accept", "next": "mine"})
    assert r.status_code == 302 and r.url == reverse("dispatch-mine")
    url = reverse("dispatch-detail", args=[task.pk])
    r = c.post(url, {"op": "arrive", "latitude": "27.3", "longitude": "", "place": ""})
    assert r.status_code == 422 and "经度和纬度应同时填写" in r.content.decode()
    r = c.post(url, {"op": "arrive", "latitude": "27.301", "longitude": "105.289", "source": "manual", "place": "店门口"})
    assert r.status_code == 302
    r = c.post(url, {"op": "finish", "result": "已责令整改"})
    task.refresh_from_db()
    assert task.state == "done"
    body = c.get(url).content.decode()
    assert "处置完毕" in body and "店门口" in body
    # another entity's staff do not see it
    assert _client(factories.user("officer", world["hbj"], None, "hbjofficer")).get(url).status_code in (403, 404)


def test_the_desk_flags_overdue_tasks(world):
    task = dispatch(world, now=T0)
    actions.do_escalate_overdue(now=T0 + dt.timedelta(hours=3))
    c = _client(world["unit_head"])
    body = c.get(reverse("dispatch-desk") + "?show=overdue").content.decode()
    assert task.title in body and "超时" in body and "已上报" in body


def test_the_api(world):
    _outlines(world)
    c = _client(world["head"])
    assert c.get("/api/v1/auth/me").status_code == 200  # the session's CSRF cookie
    r = c.post("/api/v1/dispatch/tasks", {"title": "校园周边检查", "assignee": world["officer"].pk, "limit_amount": 1,
                                          "limit_unit": "working_days", "latitude": "27.31", "longitude": "105.28"},
               content_type="application/json")
    assert r.status_code == 201, r.content
    pk = r.json()["id"]
    assert r.json()["reports"][0]["kind"] == "dispatched"
    o = _client(world["officer"])
    assert o.get("/api/v1/auth/me").status_code == 200
    r = o.post(f"/api/v1/dispatch/tasks/{pk}/arrive", {"place": "校门口"}, content_type="application/json")
    assert r.status_code == 409 and r.json()["rule"] == "task.state"
    assert o.post(f"/api/v1/dispatch/tasks/{pk}/accept", {}, content_type="application/json").status_code == 200
    r = o.post(f"/api/v1/dispatch/tasks/{pk}/arrive", {"latitude": "27.312", "longitude": "105.281", "source": "gps",
                                                      "accuracy": "12"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "on_site"
    assert [t["id"] for t in o.get("/api/v1/dispatch/tasks?mine=true").json()] == [pk]
    geojson = c.get("/api/v1/dispatch/map").json()
    kinds = [f["properties"]["kind"] for f in geojson["features"]]
    assert kinds.count("region") == 3 and kinds.count("task") == 1
    point = next(f for f in geojson["features"] if f["properties"]["kind"] == "task")
    assert point["geometry"]["coordinates"] == [105.281, 27.312]
