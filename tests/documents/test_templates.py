"""The shipped templates (built by build_templates.py) and administrators' uploads."""
import io
import zipfile

import pytest

from tests import factories
from tests.documents.helpers import docx_bytes, general_case, read_docx
from zhifa.common.actions import ActionRefused
from zhifa.common.models import ChangeLog
from zhifa.documents.actions import do_activate_template, do_generate_document, do_upload_template, template_for
from zhifa.documents.build_templates import build
from zhifa.documents.context import sample_context
from zhifa.documents.models import DocumentTemplate
from zhifa.documents.render import docx_text, render_docx
from zhifa.documents.types import SPECS


@pytest.fixture
def world(shared_world):
    """The world, built once for this module (tests/worlds.py); each test has its own savepoint."""
    return shared_world


def _parts(data: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_shipped_templates_are_what_the_script_builds(tmp_path):
    build(tmp_path)
    for code, s in SPECS.items():
        built = (tmp_path / f"{code}.docx").read_bytes()
        assert _parts(built) == _parts(s.default_file.read_bytes()), (
            f"{code}.docx differs from build_templates.py output: run python -m zhifa.documents.build_templates")
    build(tmp_path / "again")
    assert all((tmp_path / "again" / f"{c}.docx").read_bytes() == (tmp_path / f"{c}.docx").read_bytes() for c in SPECS)


@pytest.mark.parametrize("code", list(SPECS))
def test_each_shipped_template_renders_with_the_sample(code):
    data = SPECS[code].default_file.read_bytes()
    styles = _parts(data)["word/styles.xml"].decode()
    assert 'w:eastAsia="Noto Serif CJK SC"' in styles and 'w:eastAsia="zh-CN"' in styles
    text = docx_text(render_docx(data, sample_context(code)))
    assert "{{" not in text and "{%" not in text
    assert "某区市场监督管理局" in text and str(SPECS[code].label).replace("查封扣押", "扣押") in text


def test_letters_have_number_signature_seal_and_chinese_date():
    for code in ("penalty_notice", "hearing_notice", "penalty_decision", "seizure_decision"):
        text = docx_text(render_docx(SPECS[code].default_file.read_bytes(), sample_context(code)))
        assert "〔2026〕1号" in text and "（印  章）" in text and "二〇二六年" in text, code


# ---- uploads --------------------------------------------------------------------------------
pytestmark_db = pytest.mark.django_db


def _upload(data, user=None, **kw):
    return do_upload_template("penalty_decision", data, acting_user=user or factories.system_admin(), **kw)


def refused(rule, fn, *args, **kwargs):
    with pytest.raises(ActionRefused) as e:
        fn(*args, **kwargs)
    assert e.value.rule == rule, e.value
    return e.value


@pytestmark_db
def test_upload_with_a_broken_tag_is_refused_in_chinese(world):
    before = DocumentTemplate.objects.count()
    e = refused("documents.template_error", _upload, docx_bytes(["当事人：{{ party.name }", "决定书"]))
    assert "文书模板有误" in e.message and "当事人" in e.message  # names the text around the problem
    e = refused("documents.template_error", _upload,
                docx_bytes(["{%p for x in evidence %}", "{{ x }}", "决定日期：{{ doc.date.cn }}"]))
    assert "缺少结束标签" in e.message and "endfor" in e.message
    e = refused("documents.template_error", _upload, docx_bytes(["当事人：{{ party.nmae }}"]))
    assert "不存在的字段“nmae”" in e.message
    e = refused("documents.template_error", _upload, docx_bytes(["{{ doc.date|chinese }}"]))
    assert "不存在的过滤器“chinese”" in e.message
    assert DocumentTemplate.objects.count() == before


@pytestmark_db
def test_upload_must_be_a_docx_and_by_an_administrator(world):
    refused("documents.bad_template", _upload, b"%PDF-1.4 not a docx")
    refused("documents.bad_template", _upload, b"")
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as zf:
        zf.writestr("hello.txt", "hi")
    refused("documents.bad_template", _upload, zipped.getvalue())
    good = docx_bytes(["{{ entity.name }}", "行政处罚决定书", "{{ doc.number }}", "{{ remedy.text }}"])
    refused("documents.admin_only", _upload, good, user=world["head"])
    refused("documents.admin_only", _upload, good, user=world["sup_city"])


@pytestmark_db
def test_upload_makes_a_new_active_version_and_keeps_the_old(world):
    admin = factories.system_admin()
    good = docx_bytes(["{{ entity.name }}", "行政处罚决定书（新版）", "{{ doc.number }}", "{{ remedy.text }}"])
    t2 = _upload(good, note="调整版式")
    builtin = DocumentTemplate.objects.get(doc_type="penalty_decision", version=1)
    assert builtin.is_builtin and not builtin.active
    assert t2.version == 2 and t2.active and t2.uploaded_by == admin and not t2.is_builtin
    assert template_for("penalty_decision", world["smj"]) == t2
    t3 = _upload(docx_bytes(["第三版 {{ doc.number }}"]))
    t2.refresh_from_db()
    assert t3.version == 3 and not t2.active and DocumentTemplate.objects.filter(doc_type="penalty_decision").count() == 3
    do_activate_template(t2, acting_user=admin)
    t3.refresh_from_db()
    assert template_for("penalty_decision", None).pk == t2.pk and not t3.active
    # an entity's own template wins for that entity only
    own = _upload(docx_bytes(["本局专用 {{ doc.number }}"]), entity=world["smj"])
    assert own.version == 1 and own.entity == world["smj"]
    assert template_for("penalty_decision", world["smj"]) == own
    assert template_for("penalty_decision", world["df"]).pk == t2.pk
    assert ChangeLog.objects.filter(content_type__model="documenttemplate", action="create",
                                    reason__contains="上传行政处罚决定书模板第2版").exists()


@pytestmark_db
def test_generation_uses_the_entitys_uploaded_template(world):
    from tests.factories import case_world
    from zhifa.legalcal.actions import seed_from_chinesecalendar

    seed_from_chinesecalendar()
    w = case_world(world)
    do_upload_template("filing_approval", docx_bytes(["本局立案审批表 {{ case.title }} {{ party.name }}"]),
                       acting_user=factories.system_admin(), entity=w["smj"], note="本局格式")
    case = general_case(w)
    doc = do_generate_document(case, "filing_approval", acting_user=w["u1"], pdf=False)
    assert doc.template.entity == w["smj"] and doc.template_version == 1
    assert "本局立案审批表 销售过期食品案 陈某某" in read_docx(doc)
