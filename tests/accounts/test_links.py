"""Signed public links use ZHIFA_LINK_KEYS, not SECRET_KEY; rotation keeps old links until the old
key is removed (issue 16, item 1)."""
import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.utils.crypto import salted_hmac

from zhifa.accounts import links
from zhifa.disclosure import pipeline
from zhifa.supervision.actions import social
from zhifa.supervision.models import SocialSupervisor

pytestmark = pytest.mark.django_db
OLD, NEW = "old-link-key-" + "a" * 32, "new-link-key-" + "b" * 32


@pytest.fixture
def supervisor(people):
    from tests import factories

    bureau = factories.entity(people["regions"]["county"], "七星关区司法局", justice=True, short_code="七司")
    return SocialSupervisor.objects.create(
        bureau=bureau, name="李监督", kind=SocialSupervisor.Kind.choices[0][0], region=people["regions"]["county"],
        appointed_on=dt.date(2026, 1, 1), term_ends_on=dt.date(2028, 1, 1), appointed_by=people["admin"])


def test_supervisor_link_rotation(supervisor, settings):
    settings.ZHIFA_LINK_KEYS = [OLD]
    old_link = social.token_for(supervisor)
    assert social.supervisor_for_token(old_link) == supervisor
    settings.ZHIFA_LINK_KEYS = [NEW, OLD]  # rotation: new first, old still accepted
    new_link = social.token_for(supervisor)
    assert new_link != old_link
    assert social.supervisor_for_token(old_link) == supervisor and social.supervisor_for_token(new_link) == supervisor
    settings.ZHIFA_LINK_KEYS = [NEW]  # old key removed: its links die
    assert social.supervisor_for_token(old_link) is None
    assert social.supervisor_for_token(new_link) == supervisor


def test_supervisor_link_forged_with_the_secret_key_alone_fails(supervisor, settings):
    settings.ZHIFA_LINK_KEYS = [NEW]
    message = f"{supervisor.pk}.{supervisor.token_version}"
    for forged_mac in (salted_hmac(social.SALT, message).hexdigest()[:24],  # the pre-issue-16 scheme
                       salted_hmac(social.SALT, message, secret=django_settings.SECRET_KEY,
                                   algorithm="sha256").hexdigest()[:24]):
        assert social.supervisor_for_token(f"{message}.{forged_mac}") is None
    assert social.supervisor_for_token(social.token_for(supervisor)) == supervisor


def test_party_access_code_rotation_and_forgery(settings):
    class Case:
        pk = 4711

    import hashlib
    import hmac

    settings.ZHIFA_LINK_KEYS = [OLD]
    old_code = pipeline.access_code(Case)
    settings.ZHIFA_LINK_KEYS = [NEW, OLD]
    new_code = pipeline.access_code(Case)
    assert pipeline.access_code_matches(Case, old_code) and pipeline.access_code_matches(Case, new_code.lower())
    settings.ZHIFA_LINK_KEYS = [NEW]
    assert not pipeline.access_code_matches(Case, old_code)
    # the pre-issue-16 code (HMAC under SECRET_KEY) is refused
    forged = hmac.new(django_settings.SECRET_KEY.encode(), b"case-access:4711", hashlib.sha256).hexdigest()[:8].upper()
    assert not pipeline.access_code_matches(Case, forged)
    assert not pipeline.access_code_matches(Case, links.mac(pipeline.ACCESS_SALT, "4711", 8,
                                                            key=django_settings.SECRET_KEY).upper())
    assert not pipeline.access_code_matches(Case, "")


def test_party_view_uses_the_link_keys(settings):
    """End to end on the public API: the 查询码 printed with one key, looked up after a rotation."""
    from tests.api.conftest import ApiClient
    from tests.disclosure.conftest import decided_case
    from tests.factories import case_world, world

    settings.ZHIFA_LINK_KEYS = [OLD]
    cw = case_world(world())
    case = decided_case(cw)
    code = pipeline.access_code(case)

    def view(c):
        return ApiClient().get("/public/progress/mine", {"number": case.number, "code": c}).status_code

    assert view(code) == 200
    settings.ZHIFA_LINK_KEYS = [NEW, OLD]
    assert view(code) == 200
    settings.ZHIFA_LINK_KEYS = [NEW]
    assert view(code) == 404 and view(pipeline.access_code(case)) == 200
