"""zhifa/blobs/static/blobs/chunked_upload.js in headless Chromium against the live server:
chunks, progress, retry after a dropped request, resume after the page gave up."""
import base64
import hashlib

import pytest

from tests.blobs import media
from tests.browser.conftest import login
from zhifa.blobs.models import Blob, UploadSession

pytestmark = pytest.mark.browser

UPLOAD = """async ([b64, name, opts]) => {
  const bytes = Uint8Array.from(atob(b64), c => c.charCodeAt(0));
  const file = new File([bytes], name, {type: "image/jpeg", lastModified: 1700000000000});
  const progress = [];
  try {
    const out = await window.zhifaUpload(file, {...opts, onProgress: p => progress.push(p.loaded)});
    return {out, progress};
  } catch (e) {
    return {error: e.message, rule: e.rule || null, progress};
  }
}"""


@pytest.fixture
def site(live_server, transactional_db, settings):
    from tests.factories import world

    settings.ZHIFA_UPLOAD_CHUNK_MAX = 32 * 1024
    world()
    return live_server.url


def open_page(page, site):
    login(page, site, "officer")
    page.add_script_tag(url=f"{site}/static/blobs/chunked_upload.js")
    return page


def test_upload_with_retry_and_resume(page, site):
    open_page(page, site)
    data = media.big_png(150_000)  # five chunks of 32 KiB
    b64 = base64.b64encode(data).decode()
    offsets, state = [], {"patches": 0}

    def flaky(route):
        state["patches"] += 1
        offsets.append(int(route.request.headers["upload-offset"]))
        if state["patches"] == 2:
            route.abort("connectionreset")  # the second chunk is lost once
        else:
            route.continue_()

    page.route("**/api/v1/uploads/*", lambda route: flaky(route) if route.request.method == "PATCH"
               else route.continue_())
    r = page.evaluate(UPLOAD, [b64, "现场照片.png", {"retries": 3}])
    assert "error" not in r, r
    assert r["out"]["sha256"] == hashlib.sha256(data).hexdigest() and r["out"]["kind"] == "photo"
    assert offsets[:3] == [0, 32768, 32768] and r["progress"][-1] == len(data)
    assert Blob.objects.filter(pk=r["out"]["sha256"]).exists()

    # The page gives up half-way (retries: 0); calling again resumes where the server stands.
    page.unroute("**/api/v1/uploads/*")
    data2 = media.big_png(150_000)
    b64 = base64.b64encode(data2).decode()
    sent = []

    def dies_after_two(route):
        if route.request.method != "PATCH":
            return route.continue_()
        sent.append(int(route.request.headers["upload-offset"]))
        return route.abort("failed") if len(sent) > 2 else route.continue_()

    page.route("**/api/v1/uploads/*", dies_after_two)
    r = page.evaluate(UPLOAD, [b64, "录音.png", {"retries": 0}])
    assert "error" in r and UploadSession.objects.filter(state="open", received=65536).exists()
    page.unroute("**/api/v1/uploads/*")
    resumed = []
    page.on("request", lambda req: resumed.append(req.headers.get("upload-offset"))
            if req.method == "PATCH" else None)
    r = page.evaluate(UPLOAD, [b64, "录音.png", {"retries": 0}])
    assert "error" not in r, r
    assert resumed[0] == "65536" and r["out"]["sha256"] == hashlib.sha256(data2).hexdigest()


def test_refusal_reaches_the_page(page, site):
    open_page(page, site)
    r = page.evaluate(UPLOAD, [base64.b64encode(media.exe()).decode(), "照片.jpg", {}])
    assert r["rule"] == "blob.type_not_allowed" and "文件类型不允许" in r["error"]
