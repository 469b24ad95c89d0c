"""A citizen's phone verifies a published decision in the page itself (issue 17, item 5): the page
text against the ledger entry, the RFC 9162 inclusion proof (WebCrypto SHA-256) and the tree head's
Ed25519 signature (WebCrypto, or the vendored TweetNaCl where the browser lacks Ed25519) — 已核验
for the real proof, 核验失败 naming what failed for a tampered proof, head or row. Also the public
ledger pages (/gs/ledger/heads/) on the same phone."""
import datetime as dt
import json

import pytest
from playwright.sync_api import expect

from tests import factories

pytestmark = pytest.mark.browser

WIDTH = 390


@pytest.fixture
def published(world):
    from tests.disclosure.conftest import decided_case
    from zhifa.disclosure.actions import publications as publication_actions
    from zhifa.legalcal import periods
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    periods.clear_cache()
    seed_from_chinesecalendar()
    periods.clear_cache()
    cw = factories.case_world(world)
    case = decided_case(cw)
    pub = publication_actions.do_approve(case.publication, acting_user=cw["head"], on=dt.date(2026, 4, 22))
    yield pub
    periods.clear_cache()


@pytest.fixture
def phone(browser):
    ctx = browser.new_context(locale="zh-CN", viewport={"width": WIDTH, "height": 844}, device_scale_factor=2,
                              is_mobile=True, has_touch=True)
    ctx.set_default_timeout(10000)
    yield ctx.new_page()
    ctx.close()


def fits(page):
    body, doc, inner = page.evaluate("[document.body.scrollWidth, document.documentElement.scrollWidth, "
                                     "window.innerWidth]")
    return max(body, doc) <= min(inner, WIDTH) + 1


def test_a_citizen_sees_the_decision_verified_in_the_page(phone, site, published):
    page = phone
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(f"{site}/gs/results/{published.pk}/")
    verdict = page.get_by_test_id("proof-verdict")
    expect(verdict).to_contain_text("已核验")
    box = page.get_by_test_id("proof-check")
    expect(box).to_have_attribute("data-state", "ok")
    expect(box).to_have_attribute("data-via", "WebCrypto")  # Chromium has Ed25519 in WebCrypto
    expect(page.get_by_test_id("proof-steps").locator("li.ok")).to_have_count(5)
    expect(page.get_by_test_id("proof-link")).to_be_visible()  # the command-line route stays
    assert fits(page) and not errors
    page.get_by_role("link", name="防篡改日志").last.click()
    page.wait_for_url(f"{site}/gs/ledger/heads/")
    expect(page.get_by_test_id("head-item").first).to_be_visible()
    assert fits(page)
    page.get_by_test_id("head-item").first.get_by_role("link").click()
    expect(page.get_by_test_id("head-root")).to_be_visible()
    assert fits(page)


def test_without_ed25519_in_webcrypto_the_vendored_library_verifies(phone, site, published):
    page = phone
    # A browser whose WebCrypto lacks Ed25519 (older Safari/Firefox): importKey refuses the algorithm.
    page.add_init_script("""(() => {
      const original = crypto.subtle.importKey.bind(crypto.subtle);
      crypto.subtle.importKey = (format, data, alg, ...rest) =>
        (alg && (alg.name || alg)) === "Ed25519"
          ? Promise.reject(new DOMException("Unrecognized name.", "NotSupportedError"))
          : original(format, data, alg, ...rest);
    })();""")
    loaded = []
    page.on("request", lambda r: loaded.append(r.url) if "tweetnacl" in r.url else None)
    page.goto(f"{site}/gs/results/{published.pk}/")
    expect(page.get_by_test_id("proof-verdict")).to_contain_text("已核验")
    expect(page.get_by_test_id("proof-check")).to_have_attribute("data-via", "TweetNaCl")
    assert loaded


def _flip(h):
    return ("0" if h[0] != "0" else "1") + h[1:]


def _proof_hash(doc):
    doc["proof"][len(doc["proof"]) // 2] = _flip(doc["proof"][len(doc["proof"]) // 2])


def _head_time(doc):
    doc["tree_head"]["timestamp"] += 1  # the signature no longer covers the head


def _head_size(doc):
    doc["tree_head"]["tree_size"] = doc["tree_size"] = doc["seq"]  # a head from before the entry


def _entry(doc):
    doc["entry"] = doc["entry"].replace('"publication"', '"publication" ', 1)


@pytest.mark.parametrize("tamper, failed", [
    (_proof_hash, "证明不成立"),
    (_head_time, "签名无效"),
    (_head_size, "树头不覆盖此条目"),
    (_entry, "证明不成立"),
])
def test_a_tampered_proof_or_head_fails(phone, site, published, tamper, failed):
    page = phone

    def intercept(route):
        response = route.fetch()
        doc = response.json()
        tamper(doc)
        route.fulfill(response=response, body=json.dumps(doc, ensure_ascii=False))

    page.route("**/proof.json", intercept)
    page.goto(f"{site}/gs/results/{published.pk}/")
    verdict = page.get_by_test_id("proof-verdict")
    expect(verdict).to_contain_text("核验失败")
    expect(verdict).to_contain_text(failed)
    expect(page.get_by_test_id("proof-check")).to_have_attribute("data-state", "bad")
    assert fits(page)


def test_a_row_edited_behind_the_application_fails(phone, site, published):
    """A database administrator changes the published text (a fine lowered): the page shows it, but
    the ledger entry recorded the hash of what was approved."""
    from zhifa.disclosure.models import Publication

    body = published.public_body
    Publication.objects.filter(pk=published.pk).update(public_body=body.replace("5000", "500") + "（已更正）")
    page = phone
    page.goto(f"{site}/gs/results/{published.pk}/")
    verdict = page.get_by_test_id("proof-verdict")
    expect(verdict).to_contain_text("核验失败")
    expect(verdict).to_contain_text("公示内容与日志记录不一致")
    expect(page.get_by_test_id("proof-steps").locator("li.ok")).to_have_count(4)  # proof and signature hold


@pytest.fixture
def cosigned(published, tmp_path):
    """A witness (registered, its own key) has co-signed a head that covers the decision's entry."""
    from tests.witness.conftest import witness_public_key
    from zhifa.ledger import log
    from zhifa.witness import actions, client

    d = tmp_path / "bureau"
    client.init(d, None, lambda _line: None)
    wk = actions.do_register_witness_key("毕节市司法局", witness_public_key(d), acting_user=factories.system_admin())
    head = log.sign_tree_head().as_dict()
    actions.do_accept_cosignature(tree_size=head["tree_size"], root_hash=head["root_hash"],
                                  timestamp=head["timestamp"], public_key=wk.public_key,
                                  signature=client.cosign(client._private_key(d), head))
    log.sign_tree_head()  # a newer head nobody co-signed: the page still uses the co-signed one
    return published, wk, head


def test_the_page_checks_the_witnesses_cosignatures(phone, site, cosigned):
    pub, wk, head = cosigned
    page = phone
    page.goto(f"{site}/gs/results/{pub.pk}/")
    verdict = page.get_by_test_id("proof-verdict")
    expect(verdict).to_contain_text("已核验")
    expect(verdict).to_contain_text("1 个见证方联署")
    expect(page.get_by_test_id("proof-steps")).to_contain_text(f"见证方联署有效：{wk.name}")
    expect(page.get_by_test_id("proof-steps")).to_contain_text(f"签名树头（{head['tree_size']} 条）")


def test_a_tampered_cosignature_fails(phone, site, cosigned):
    pub, wk, _head = cosigned
    page = phone

    def intercept(route):
        response = route.fetch()
        doc = response.json()
        doc["cosignatures"][0]["signature"] = _flip(doc["cosignatures"][0]["signature"])
        route.fulfill(response=response, body=json.dumps(doc, ensure_ascii=False))

    page.route("**/proof.json", intercept)
    page.goto(f"{site}/gs/results/{pub.pk}/")
    verdict = page.get_by_test_id("proof-verdict")
    expect(verdict).to_contain_text("核验失败")
    expect(verdict).to_contain_text("签名无效")
