"""Signed PDFs: the worker's PDF carries a PAdES signature that pyHanko validates, and an SM2/SM3
signature recorded in the ledger; `zhifa verify` checks both and finds a PDF changed after signing."""
import pytest

from tests.notify.helpers import tiny_pdf
from zhifa.documents import seal
from zhifa.documents.models import storage


@pytest.fixture
def cw(shared_cw):
    return shared_cw


def test_the_pdf_is_signed_validated_and_a_tampered_file_is_found(cw, monkeypatch, settings, tmp_path):
    from tests.documents.helpers import general_case
    from zhifa.documents.actions import do_generate_document
    from zhifa.documents.verify import document_seals

    settings.DATA_DIR = tmp_path  # the demo key store is made there
    # The demo seal, whatever an earlier test in this process left in the settings.
    settings.DEMO, settings.ZHIFA_SEAL_PROVIDER = True, "zhifa.documents.seal.PadesSeal"
    settings.ZHIFA_SEAL_KEY_FILE = settings.ZHIFA_SEAL_CERT_FILE = settings.ZHIFA_SEAL_SM2_KEY_FILE = ""
    monkeypatch.setattr("zhifa.documents.actions.convert_pdf", tiny_pdf)
    case = general_case(cw)
    doc = do_generate_document(case, "filing_approval", acting_user=cw["u1"])
    assert doc.pdf_status == "ready"
    with storage().open(doc.pdf_path, "rb") as fh:
        pdf = fh.read()
    from zhifa.ledger.models import LedgerEntry

    entry = LedgerEntry.objects.filter(event_type="document.pdf", subject_id=str(doc.pk)).latest("seq")
    assert seal.validate_pades(pdf) == (True, ""), entry.body  # its seal_error says why it stayed unsigned
    assert "sm2_signature" in entry.body and "cert_sha256" in entry.body
    assert list(document_seals()) == []
    # One byte changed inside the signed range: both signatures fail.
    bad = bytearray(pdf)
    i = bad.index(b"BT ET")
    bad[i:i + 5] = b"BT  E"
    with storage().open(doc.pdf_path, "wb") as fh:
        fh.write(bytes(bad))
    kinds = {d.kind for d in document_seals()}
    assert kinds == {"documents.seal_sm2", "documents.seal_pades"}


def test_sm2_signature_round_trip_and_refusal(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    rec = seal.sm2_sign(b"hello")
    assert seal.sm2_verify(b"hello", rec) and not seal.sm2_verify(b"hellO", rec)


def test_production_without_keys_leaves_the_pdf_unsigned_with_the_reason(settings):
    settings.DEMO = False
    settings.ZHIFA_SEAL_KEY_FILE = settings.ZHIFA_SEAL_CERT_FILE = ""
    pdf = tiny_pdf()
    out, rec = seal.apply(pdf)
    assert out == pdf and "ZHIFA_SEAL_KEY_FILE" in rec["seal_error"]


def test_sealing_works_inside_a_running_event_loop(settings, tmp_path):
    """pyHanko's sync API calls asyncio.run(); inside a running loop (an async worker, or a Playwright
    session in the same test process, which is how CI found it) sealing must still sign."""
    import asyncio
    import concurrent.futures

    settings.DATA_DIR = tmp_path
    settings.DEMO, settings.ZHIFA_SEAL_PROVIDER = True, "zhifa.documents.seal.PadesSeal"
    settings.ZHIFA_SEAL_KEY_FILE = settings.ZHIFA_SEAL_CERT_FILE = settings.ZHIFA_SEAL_SM2_KEY_FILE = ""

    async def inside():
        return seal.apply(tiny_pdf(), signer_name="张三"), seal.validate_pades(seal.apply(tiny_pdf())[0])

    # On a thread of its own: this test process may already run a loop in its main thread (Playwright).
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        (signed, rec), validity = pool.submit(asyncio.run, inside()).result()
    assert "seal_error" not in rec and rec["seal"] == "pades"
    assert validity == (True, "")
