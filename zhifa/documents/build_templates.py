"""Builds the shipped default templates (templates_docx/<type>.docx) with python-docx.

    .venv/bin/python -m zhifa.documents.build_templates [OUTDIR]

The output is byte-for-byte reproducible (fixed document properties, fixed zip timestamps),
so the committed files can be checked against this script (tests/documents). Edit the
layout here, re-run, commit both.

Layout follows GB/T 9704 where it applies to letters (A4, margins 37/35/28/26 mm, title
centred, number line, signature and seal block, Chinese date) and the usual enforcement forms
for records and tables. Fonts: Noto Serif CJK SC (set for East-Asian text too, so LibreOffice
picks the CJK face), Noto Sans CJK SC for small notes.
"""
from __future__ import annotations

import io
import sys
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
OUT = Path(__file__).resolve().parent / "templates_docx"
FIXED_TIME = datetime(2026, 1, 1)
ZIP_TIME = (2026, 1, 1, 0, 0, 0)


# ---- fonts and styles -------------------------------------------------------------------
def _fonts(rpr, name):
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        del rfonts.attrib[attr]
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        rfonts.set(qn(f"w:{attr}"), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "zh-CN")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _style(doc, name, *, size, bold=False, align=None, font=SERIF, line=None, indent=False, before=0, after=0,
           keep_next=False):
    styles = doc.styles
    st = styles[name] if name in [s.name for s in styles] else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    if name != "Normal":
        st.base_style = styles["Normal"]
    st.font.size = Pt(size)
    st.font.bold = bold
    st.font.name = font
    _fonts(st.element.get_or_add_rPr(), font)
    pf = st.paragraph_format
    if align is not None:
        pf.alignment = align
    pf.space_before, pf.space_after = Pt(before), Pt(after)
    if line:
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        pf.line_spacing = Pt(line)
    pf.first_line_indent = Pt(size * 2) if indent else Pt(0)
    pf.keep_with_next = keep_next
    pf.widow_control = True
    return st


def _setup(doc, *, body=14, line=24, form=False):
    # Document defaults: CJK font and Chinese language for every run, so nothing falls back
    # to a Latin or Japanese face.
    rpr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _fonts(rpr, SERIF)
    ppr = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:pPrDefault")).find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is not None:
        ppr.remove(spacing)
    _style(doc, "Normal", size=body, line=line)
    _style(doc, "ZAgency", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=32)
    _style(doc, "ZTitle", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=34, before=4, after=4)
    _style(doc, "ZNumber", size=body, align=WD_ALIGN_PARAGRAPH.RIGHT, line=line, after=6)
    _style(doc, "ZBody", size=body, line=line, indent=True)
    _style(doc, "ZPlain", size=body, line=line)
    _style(doc, "ZHeading", size=body, bold=True, line=line, indent=True, keep_next=True)
    _style(doc, "ZSign", size=body, align=WD_ALIGN_PARAGRAPH.RIGHT, line=line)
    _style(doc, "ZSignTop", size=body, align=WD_ALIGN_PARAGRAPH.RIGHT, line=line, before=12, keep_next=True)
    _style(doc, "ZCell", size=12, line=20)
    _style(doc, "ZCellBody", size=12, line=20, indent=True)
    _style(doc, "ZCellLabel", size=12, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, line=20)
    _style(doc, "ZNote", size=10.5, font=SANS, line=18, before=6)
    _style(doc, "ZFooter", size=10.5, font=SANS, align=WD_ALIGN_PARAGRAPH.CENTER)
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    if form:
        section.top_margin, section.bottom_margin = Mm(25), Mm(25)
        section.left_margin, section.right_margin = Mm(25), Mm(25)
    else:  # GB/T 9704
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(15)
    _page_footer(section)
    props = doc.core_properties
    props.author = props.last_modified_by = "zhifa"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.comments = "zhifa 默认文书模板（由 zhifa/documents/build_templates.py 生成）"


def _field(paragraph, instr):
    fld = OxmlElement("w:fldSimple")
    fld.set(qn("w:instr"), instr)
    run = OxmlElement("w:r")
    t = OxmlElement("w:t")
    t.text = "1"
    run.append(t)
    fld.append(run)
    paragraph._p.append(fld)


def _page_footer(section):
    p = section.footer.paragraphs[0]
    p.add_run("第 ")
    _field(p, "PAGE")
    p.add_run(" 页  共 ")
    _field(p, "NUMPAGES")
    p.add_run(" 页")


# ---- building blocks ----------------------------------------------------------------------
class Builder:
    def __init__(self, *, form=False, body=14, line=24):
        self.doc = Document()
        _setup(self.doc, body=body, line=line, form=form)
        self.doc.sections[0].footer.paragraphs[0].style = self.doc.styles["ZFooter"]
        # python-docx's blank template starts with no paragraph; nothing to remove.

    def p(self, text="", style="ZBody", bold_prefix=None):
        par = self.doc.add_paragraph(style=style)
        if bold_prefix:
            par.add_run(bold_prefix).bold = True
        if text:
            par.add_run(text)
        return par

    def tag(self, tag):
        """A paragraph holding only a docxtpl {%p … %} tag (the paragraph disappears)."""
        return self.doc.add_paragraph(tag, style="ZPlain")

    def head(self, title, number=True, agency=True):
        if agency:
            self.p("{{ entity.name }}", "ZAgency")
        self.p(title, "ZTitle")
        if number:
            self.tag("{%p if doc.number %}")
            self.p("{{ doc.number }}", "ZNumber")
            self.tag("{%p endif %}")

    def loop(self, var, expr, style="ZBody", item="x", prefix=""):
        self.tag(f"{{%p for {item} in {var} %}}")
        self.p(f"{prefix}{expr}", style)
        self.tag("{%p endfor %}")

    def signature(self, seal=True):
        self.p("{{ entity.name }}", "ZSignTop")
        if seal:
            self.p("（印  章）", "ZSign")
        self.p("{{ doc.date.cn }}", "ZSign")

    def note(self, text):
        self.p(text, "ZNote")

    def table(self, widths_cm):
        t = self.doc.add_table(rows=0, cols=len(widths_cm))
        t.style = self.doc.styles["Table Grid"]
        t.alignment = WD_TABLE_ALIGNMENT.CENTER
        t.autofit = False
        self._widths = [Cm(w) for w in widths_cm]
        for col, width in zip(t.columns, self._widths):
            col.width = width
        return t

    def row(self, table, *cells, label_cols=(0,), merge=None, height_cm=None):
        """cells: strings (one paragraph each; a list = several paragraphs). merge=(a, b)
        merges columns a..b of the row; the merged cell takes the text of column a."""
        r = table.add_row()
        for i, cell in enumerate(r.cells):
            cell.width = self._widths[i]
        if height_cm:
            r.height = Cm(height_cm)
        if merge:
            a, b = merge
            r.cells[a].merge(r.cells[b])
        for i, content in enumerate(cells):
            cell = r.cells[i] if not merge or i <= merge[0] else r.cells[i + merge[1] - merge[0]]
            lines = content if isinstance(content, list) else [content]
            first = True
            for line in lines:
                par = cell.paragraphs[0] if first else cell.add_paragraph()
                first = False
                style = "ZCellLabel" if i in label_cols else "ZCell"
                if isinstance(line, tuple):
                    style, line = line
                par.style = self.doc.styles[style]
                if line:
                    par.add_run(line)
        return r

    def save(self, path: Path):
        buf = io.BytesIO()
        self.doc.save(buf)
        path.write_bytes(normalise_zip(buf.getvalue()))


def normalise_zip(data: bytes) -> bytes:
    """Rewrite the .docx zip with fixed timestamps so builds are byte-identical."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            zi = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            zi.compress_type = zipfile.ZIP_DEFLATED
            zi.external_attr = 0o644 << 16
            dst.writestr(zi, src.read(info.filename))
    return out.getvalue()


# ---- party blocks used by letters ---------------------------------------------------------------
def party_block(b: Builder):
    b.tag("{%p for pt in parties %}")
    b.p("{{ pt.name }}", "ZPlain", bold_prefix="当事人：")
    b.tag('{%p if pt.kind == "org" %}')
    b.p("{{ pt.credit_code }}", "ZPlain", bold_prefix="统一社会信用代码：")
    b.p("{{ pt.legal_representative }}", "ZPlain", bold_prefix="法定代表人（负责人）：")
    b.tag("{%p else %}")
    b.p("{{ pt.id_number }}", "ZPlain", bold_prefix="身份证号：")
    b.tag("{%p endif %}")
    b.p("{{ pt.address }}", "ZPlain", bold_prefix="住所（地址）：")
    b.tag("{%p endfor %}")


def numbered(b: Builder, var, style="ZBody"):
    b.tag(f"{{%p for x in {var} %}}")
    b.p("{{ loop.index }}．{{ x }}", style)
    b.tag("{%p endfor %}")


# ---- the documents ----------------------------------------------------------------------------
def access_code_paragraph(b):
    """The party's 查询码, promised "见文书" on the portal's 办理动态 and 信用修复 pages."""
    b.tag("{%p if case.access_code %}")
    b.p("当事人可凭案件编号{{ case.number }}和查询码{{ case.access_code }}，在行政执法公示平台“办理动态”栏目"
        "查询本案办理情况（查询码请妥善保管）。")
    b.tag("{%p endif %}")


def penalty_decision():
    b = Builder()
    b.head("行政处罚决定书")
    party_block(b)
    b.p("当事人{{ case.cause }}一案，本机关于{{ case.filed_on_d.cn }}立案调查（案件编号：{{ case.number }}），"
        "现已调查终结。")
    b.p("一、违法事实和证据", "ZHeading")
    b.p("经查明：")
    b.loop("case.facts_paras", "{{ x }}")
    b.p("上述事实，有下列证据证明：")
    numbered(b, "evidence")
    b.tag("{%p if procedure_paras %}")
    b.p("二、告知、陈述申辩和听证情况", "ZHeading")
    b.loop("procedure_paras", "{{ x }}")
    b.tag("{%p endif %}")
    b.p("{{ heading_no.basis }}、行政处罚的种类和依据", "ZHeading")
    b.p("本机关认为，当事人的上述行为违反了{{ basis.text }}的规定。依据{{ basis.text }}的规定，"
        "本机关决定对当事人作出如下行政处罚：")
    b.loop("penalty.items_numbered", "{{ x }}")
    b.tag("{%p for x in discretion_paras %}")
    b.p("{{ x }}")
    b.tag("{%p endfor %}")
    b.p("{{ heading_no.performance }}、行政处罚的履行方式和期限", "ZHeading")
    b.loop("performance", "{{ x }}")
    b.p("{{ heading_no.remedy }}、申请行政复议或者提起行政诉讼的途径和期限", "ZHeading")
    b.p("{{ remedy.text }}")
    b.p("{{ remedy.no_suspension }}")
    access_code_paragraph(b)
    b.signature()
    b.note("本决定书一式两份，一份送达当事人，一份归入案卷。")
    return b


def penalty_notice():
    b = Builder()
    b.head("行政处罚事先告知书")
    b.p("{{ party_names }}：", "ZPlain")
    b.p("{{ party.you }}{{ case.cause }}一案，经本机关调查，现查明：")
    b.loop("case.facts_paras", "{{ x }}")
    b.tag("{%p if evidence %}")
    b.p("上述事实，有下列证据证明：")
    numbered(b, "evidence")
    b.tag("{%p endif %}")
    b.tag("{%p for x in reason_paras %}")
    b.p("{{ x }}")
    b.tag("{%p endfor %}")
    b.tag("{%p for x in discretion_paras %}")
    b.p("{{ x }}")
    b.tag("{%p endfor %}")
    b.p("本机关认为，{{ party.you }}的上述行为违反了{{ basis.text }}的规定。依据{{ basis.text }}的规定，"
        "本机关拟对{{ party.you }}作出如下行政处罚：")
    b.loop("penalty.items_numbered", "{{ x }}")
    b.p("{{ rights.statement }}")
    b.tag("{%p if rights.hearing %}")
    b.p("{{ rights.hearing_text }}")
    b.tag("{%p endif %}")
    b.p("联系人：{{ contact.name }}    联系电话：{{ contact.phone }}", "ZBody")
    b.p("本机关地址：{{ entity.address }}", "ZBody")
    access_code_paragraph(b)
    b.signature()
    b.note("本告知书一式两份，一份送达当事人，一份归入案卷。")
    return b


def hearing_notice():
    b = Builder()
    b.head("听证通知书")
    b.p("{{ party_names }}：", "ZPlain")
    b.p("根据{{ party.you }}{% if hearing.requested_on.iso %}于{{ hearing.requested_on.cn }}{% endif %}提出的听证要求，"
        "本机关决定于{{ hearing.date.cn }}{{ hearing.time }}在{{ hearing.place }}就{{ case.cause }}一案"
        "{% if hearing.public %}公开{% else %}依法不公开{% endif %}举行听证。")
    b.p("本次听证由{{ hearing.chair }}{% if hearing.chair_title %}（{{ hearing.chair_title }}）{% endif %}主持"
        "{% if hearing.clerk %}，{{ hearing.clerk }}担任记录员{% endif %}。")
    b.p("请注意以下事项：")
    b.p("一、{{ party.you }}认为主持人、记录员与本案有直接利害关系的，有权申请回避；申请回避应当在听证开始前提出并说明理由。")
    b.p("二、{{ party.you }}可以亲自参加听证，也可以委托一至二人代理。委托代理人参加听证的，应当在听证开始前"
        "提交载明委托事项及权限的授权委托书。")
    b.p("三、请携带身份证明和有关证据材料按时参加听证。无正当理由拒不出席听证或者未经许可中途退出听证的，"
        "视为放弃听证权利，本机关终止听证。")
    b.p("四、除涉及国家秘密、商业秘密或者个人隐私依法予以保密外，听证公开举行。")
    b.p("联系人：{{ contact.name }}    联系电话：{{ contact.phone }}", "ZBody")
    b.signature()
    b.note("本通知书一式两份，一份送达当事人，一份归入案卷。")
    return b


def hearing_record():
    b = Builder(form=True, body=12, line=22)
    b.head("听证笔录", number=False)
    t = b.table([3.2, 5.3, 3.0, 4.5])
    b.row(t, "案    由", "{{ case.title }}", merge=(1, 3))
    b.row(t, "听证时间", "{{ hearing.held_on.num }} {{ hearing.time }}", "听证地点", "{{ hearing.place }}",
          label_cols=(0, 2))
    b.row(t, "听证方式", "{% if hearing.public %}公开{% else %}不公开{% endif %}", "案件编号", "{{ case.number }}",
          label_cols=(0, 2))
    b.row(t, "主 持 人", "{{ hearing.chair }}", "记 录 员", "{{ hearing.clerk }}", label_cols=(0, 2))
    b.row(t, "当 事 人", "{{ party_names }}", merge=(1, 3))
    b.row(t, "委托代理人", "{{ hearing.agent }}", merge=(1, 3))
    b.row(t, "案件调查人员", "{{ officers_text }}", merge=(1, 3))
    b.p("", "ZPlain")
    b.p("听证记录：", "ZPlain").runs[0].bold = True
    b.p("主持人宣布听证纪律，核对当事人及委托代理人身份，宣布听证主持人、记录员名单，告知当事人申请回避、"
        "陈述、申辩和质证的权利。当事人（未）申请回避。", "ZCellBody")
    b.p("案件调查人员提出当事人违法的事实、证据和行政处罚建议；当事人进行申辩和质证。", "ZCellBody")
    b.loop("hearing.record_paras", "{{ x }}", style="ZCellBody")
    b.tag("{%p for i in range(6) %}")
    b.p("_" * 60, "ZCell")
    b.tag("{%p endfor %}")
    b.p("以上笔录已交当事人（委托代理人）核对无误。", "ZCellBody")
    b.p("当事人或委托代理人（签名或盖章）：                    年    月    日", "ZCell")
    b.p("听证主持人（签名）：                记录员（签名）：", "ZCell")
    b.note("依据《中华人民共和国行政处罚法》第六十四条第（八）项，笔录应当交当事人或者其代理人核对无误后签字或者盖章；"
           "拒绝签字或者盖章的，由听证主持人在笔录中注明。")
    return b


def filing_approval():
    b = Builder(form=True, body=12, line=22)
    b.head("立案审批表", number=False)
    b.p("{% if doc.number %}案件编号：{{ doc.number }}{% else %}案件编号：（批准立案后生成）{% endif %}", "ZNumber")
    t = b.table([3.0, 4.7, 3.5, 4.8])
    b.row(t, "案    由", "{{ case.title }}", merge=(1, 3))
    b.row(t, "案件来源", "{{ case.source_label }}", "登记日期", "{{ case.registered_on_d.num }}", label_cols=(0, 2))
    b.row(t, "{%tr for pt in parties %}", "", "", "")
    b.row(t, "当 事 人", "{{ pt.name }}（{{ pt.kind_label }}）", "{{ pt.id_label }}", "{{ pt.id_value }}",
          label_cols=(0, 2))
    b.row(t, "地址电话", "{{ pt.address }} {{ pt.phone }}", "法定代表人", "{{ pt.legal_representative }}",
          label_cols=(0, 2))
    b.row(t, "{%tr endfor %}", "", "", "")
    b.row(t, "来源说明", "{{ case.source_detail }}", merge=(1, 3))
    b.row(t, "简要案情", [("ZCellBody", "{%p for x in case.facts_paras %}"), ("ZCellBody", "{{ x }}"),
                          ("ZCellBody", "{%p endfor %}")], merge=(1, 3), height_cm=3)
    b.row(t, "立案依据", "{{ basis.text }}", merge=(1, 3))
    b.row(t, "违法行为发生日", "{{ case.violation_on_d.num }}", "发现日期", "{{ case.discovered_on_d.num }}",
          label_cols=(0, 2))
    b.row(t, "时效提示", "{% if case.limitation_warning %}{{ case.limitation_warning }}{% else %}未超过"
          "《行政处罚法》第三十六条规定的追责期限{% endif %}", merge=(1, 3))
    b.row(t, "承办人员", "{{ officers_text }}", merge=(1, 3))
    b.row(t, "承办人意见", ["建议立案调查。", ("ZSign", "承办人（签名）：          "),
                             ("ZSign", "{{ approval.filing_requested_on.num }}")], merge=(1, 3), height_cm=2.2)
    b.row(t, "审批意见", ["{{ approval.filing_opinion }}",
                          ("ZSign", "审批人（签名）：{{ approval.filing_approved_by }}          "),
                          ("ZSign", "{{ approval.filing_approved_on.num }}")], merge=(1, 3), height_cm=2.2)
    b.note("依据《中华人民共和国行政处罚法》第五十四条，符合立案标准的，行政机关应当及时立案。")
    return b


def inquiry_record():
    b = Builder(form=True, body=12, line=22)
    b.head("询问笔录", number=False)
    b.p("案件编号：{{ case.number }}", "ZNumber")
    b.p("询问时间：{{ record.start }}  至  {{ record.end }}", "ZPlain")
    b.p("询问地点：{{ record.place }}", "ZPlain")
    b.p("询 问 人：{{ officers_text }}", "ZPlain")
    b.p("记 录 人：{{ record.recorder }}", "ZPlain")
    b.p("被询问人：{{ record.interviewee.name }}    性别：{{ record.interviewee.gender }}    "
        "身份证号：{{ record.interviewee.id_number }}", "ZPlain")
    b.p("工作单位：{{ record.interviewee.work_unit }}    职务：{{ record.interviewee.position }}", "ZPlain")
    b.p("住    址：{{ record.interviewee.address }}    联系电话：{{ record.interviewee.phone }}", "ZPlain")
    b.p("问：我们是{{ entity.name }}的执法人员{{ officer_names }}，这是我们的执法证件（出示执法证件）。"
        "现就{{ case.cause }}一事依法向你调查了解情况，请你如实回答。你有陈述和申辩的权利；"
        "如认为执法人员与本案有直接利害关系，你有申请回避的权利。你是否听清楚？是否申请回避？", "ZPlain")
    b.p("答：", "ZPlain")
    b.tag("{%p for item in record.qa %}")
    b.p("问：{{ item.q }}", "ZPlain")
    b.p("答：{{ item.a }}", "ZPlain")
    b.tag("{%p endfor %}")
    b.tag("{%p for i in range(record.blank_lines) %}")
    b.p("_" * 60, "ZPlain")
    b.tag("{%p endfor %}")
    b.p("被询问人核对意见：以上笔录我已看过（或已向我宣读过），与我说的相符。", "ZPlain")
    b.p("被询问人（签名）：                    年    月    日", "ZPlain")
    b.p("询问人（签名）：                      记录人（签名）：", "ZPlain")
    b.note("笔录应当交被询问人核对；被询问人应逐页签名或捺指印，对修改处签名或捺指印。")
    return b


def inspection_record():
    b = Builder(form=True, body=12, line=22)
    b.head("现场检查笔录")
    b.p("检查时间：{{ record.start }}  至  {{ record.end }}", "ZPlain")
    b.p("检查地点：{{ record.place }}", "ZPlain")
    b.p("被检查人：{{ party.name }}    {{ party.id_label }}：{{ party.id_value }}", "ZPlain")
    b.p("住所（地址）：{{ party.address }}    联系电话：{{ party.phone }}", "ZPlain")
    b.p('{% if party.kind == "org" %}法定代表人（负责人）：{{ party.legal_representative }}    {% endif %}'
        "现场负责人：{{ record.present_person }}    职务：{{ record.present_position }}", "ZPlain")
    b.p("检查人员：{{ officers_text }}", "ZPlain")
    b.p("记 录 人：{{ record.recorder }}", "ZPlain")
    b.p("执法人员向当事人（现场负责人）出示了执法证件，表明身份，说明了检查事由，告知了当事人申请回避的权利"
        "以及陈述、申辩的权利。当事人（未）申请回避。", "ZCellBody")
    b.p("检查情况：", "ZPlain").runs[0].bold = True
    b.loop("record.content_paras", "{{ x }}", style="ZCellBody")
    b.tag("{%p for i in range(record.blank_lines) %}")
    b.p("_" * 60, "ZPlain")
    b.tag("{%p endfor %}")
    b.p("当事人（现场负责人）核对意见：以上笔录已阅，情况属实。", "ZPlain")
    b.p("当事人或现场负责人（签名）：                  年    月    日", "ZPlain")
    b.p("检查人员（签名）：                  记录人（签名）：", "ZPlain")
    b.p("见证人（签名）：", "ZPlain")
    b.note("当事人拒绝签名或者不在场的，应当由两名执法人员在笔录中注明情况，并可以邀请见证人签名。")
    return b


def service_receipt():
    b = Builder(form=True, body=12, line=22)
    b.head("送达回证", number=False)
    t = b.table([4.5, 11.5])
    b.row(t, "送达文书名称及文号", "《{{ service.doc_name }}》{{ service.doc_number }}")
    b.row(t, "案    由", "{{ case.title }}（案件编号：{{ case.number }}）")
    b.row(t, "受送达人", "{{ service.recipient }}")
    b.row(t, "送达地点", "{{ service.address }}")
    b.row(t, "送达方式", "{{ service.method }}")
    b.row(t, "送 达 人", "{{ service.servers }}")
    b.row(t, "送达时间", "{% if service.served_on.iso %}{{ service.served_on.num }}{% else %}"
          "        年    月    日    时    分{% endif %}")
    b.row(t, "受送达人签名或盖章", ["", ("ZSign", "年    月    日")], height_cm=2.5)
    b.row(t, "代收人及代收理由", ["", ("ZSign", "年    月    日")], height_cm=2.0)
    b.row(t, "见证人（留置送达时）", ["", ("ZSign", "年    月    日")], height_cm=2.0)
    b.row(t, "备    注", "{{ service.note }}", height_cm=1.5)
    b.signature()
    b.note("依据《中华人民共和国行政处罚法》第六十一条，当事人不在场的，应当在七日内依照《中华人民共和国民事诉讼法》"
           "的有关规定送达。受送达人拒绝签收的，送达人可以邀请有关基层组织或者所在单位的代表到场见证后留置送达。")
    return b


def seizure_decision():
    b = Builder()
    b.head("{{ seizure.measure_label }}决定书")
    party_block(b)
    b.p("经查：")
    b.loop("seizure.reason_paras", "{{ x }}")
    b.p("依据{{ basis.text }}及《中华人民共和国行政强制法》第九条、第二十二条、第二十三条、第二十四条的规定，"
        "本机关决定对{{ party.you }}的下列场所、设施或者财物予以{{ seizure.measure_label }}：")
    b.tag("{%p for it in seizure.goods %}")
    b.p("{{ it.no }}．{{ it.name }}{% if it.spec %}（{{ it.spec }}）{% endif %}"
        "{% if it.quantity %}，{{ it.quantity }}{{ it.unit }}{% endif %}{% if it.note %}，{{ it.note }}{% endif %}")
    b.tag("{%p endfor %}")
    b.p("（详见{{ seizure.measure_label }}清单）")
    b.p("{{ seizure.measure_label }}地点：{{ seizure.place }}")
    b.p("{{ seizure.measure_label }}期限为{{ seizure.period_days }}日，自{{ seizure.decided_on.cn }}起"
        "{% if seizure.due_on.iso %}至{{ seizure.due_on.cn }}止{% endif %}。情况复杂的，经本机关负责人批准，可以延长，"
        "但延长期限不得超过三十日（《中华人民共和国行政强制法》第二十五条）。对物品需要进行检测、检验、检疫或者技术鉴定的，"
        "{{ seizure.measure_label }}期间不包括检测、检验、检疫或者技术鉴定的期间。")
    b.p("在{{ seizure.measure_label }}期间，未经本机关同意，任何单位和个人不得擅自启封、转移、使用、损毁"
        "被{{ seizure.measure_label }}的场所、设施或者财物。")
    b.p("{{ seizure_remedy }}")
    b.signature()
    b.note("本决定书与{{ seizure.measure_label }}清单一并当场交付当事人（《中华人民共和国行政强制法》第二十四条）。")
    return b


def seizure_list():
    b = Builder(form=True, body=12, line=22)
    b.head("{{ seizure.measure_label }}清单", number=False)
    b.p("决定书文号：{{ seizure.number }}", "ZNumber")
    b.p("当事人：{{ party_names }}", "ZPlain")
    b.p("{{ seizure.measure_label }}地点：{{ seizure.place }}    日期：{{ seizure.decided_on.num }}", "ZPlain")
    t = b.table([1.5, 5.0, 3.5, 2.0, 1.5, 2.5])
    b.row(t, "序号", "名称", "规格型号", "数量", "单位", "备注", label_cols=(0, 1, 2, 3, 4, 5))
    b.row(t, "{%tr for it in seizure.goods %}", "", "", "", "", "")
    b.row(t, "{{ it.no }}", "{{ it.name }}", "{{ it.spec }}", "{{ it.quantity }}", "{{ it.unit }}", "{{ it.note }}",
          label_cols=())
    b.row(t, "{%tr endfor %}", "", "", "", "", "")
    b.p("", "ZPlain")
    b.p("以上财物经当事人核对无误。", "ZPlain")
    b.p("当事人（签名或盖章）：                      年    月    日", "ZPlain")
    b.p("执法人员（签名）：{{ officer_names }}                      年    月    日", "ZPlain")
    b.p("见证人（签名）：", "ZPlain")
    b.signature()
    b.note("本清单一式二份，由当事人和行政机关分别保存（《中华人民共和国行政强制法》第二十四条）。")
    return b


def closing_report():
    b = Builder(form=True, body=12, line=22)
    b.head("结案报告", number=False)
    b.p("案件编号：{{ case.number }}", "ZNumber")
    t = b.table([3.0, 5.5, 3.0, 4.5])
    b.row(t, "案    由", "{{ case.title }}", merge=(1, 3))
    b.row(t, "当 事 人", "{{ party_names }}", merge=(1, 3))
    b.row(t, "立案日期", "{{ case.filed_on_d.num }}", "案件类别", "{{ case.kind_label }}", label_cols=(0, 2))
    b.row(t, "承办人员", "{{ officers_text }}", merge=(1, 3))
    b.row(t, "案情摘要", [("ZCellBody", "{%p for x in closing.summary_paras %}"), ("ZCellBody", "{{ x }}"),
                          ("ZCellBody", "{%p endfor %}")], merge=(1, 3), height_cm=3)
    b.row(t, "处理结果", [("ZCellBody", "{{ closing.outcome }}")], merge=(1, 3), height_cm=2)
    b.row(t, "执行情况", [("ZCellBody", "{%p for x in closing.execution_paras %}"), ("ZCellBody", "{{ x }}"),
                          ("ZCellBody", "{%p endfor %}")], merge=(1, 3), height_cm=2)
    b.row(t, "承办人意见", ["{% if closing.opinion %}{{ closing.opinion }}{% else %}本案已执行完毕，建议结案。{% endif %}",
                             ("ZSign", "承办人（签名）：          "), ("ZSign", "年    月    日")],
          merge=(1, 3), height_cm=2.2)
    b.row(t, "承办机构负责人意见", ["", ("ZSign", "签名：          "), ("ZSign", "年    月    日")], merge=(1, 3),
          height_cm=2.2)
    b.row(t, "行政机关负责人意见", ["", ("ZSign", "签名：          "), ("ZSign", "年    月    日")], merge=(1, 3),
          height_cm=2.2)
    return b


REVIEW_SAMPLE = ("dict(packet_version=1, submitted_on='2026年4月2日', draft_decision='拟给予警告、罚款', "
                 "reasons='经过听证程序', checks=[], outcome='同意', opinion_paras=[], corrections='', "
                 "correction_paras=[], reviewer='', qualification_no='', decided_on='2026年4月3日')")


def legal_review_opinion():
    """法制审核意见书 (国办发〔2018〕118号 (十三)); context key `review` comes from zhifa.review.opinion
    (the sample context of uploads has none: a placeholder stands in)."""
    b = Builder(form=True, body=12, line=22)
    b.tag("{%p set r = review if review is defined else " + REVIEW_SAMPLE + " %}")
    b.head("法制审核意见书", number=False)
    t = b.table([3.2, 5.3, 3.0, 4.5])
    b.row(t, "案    由", "{{ case.title }}", merge=(1, 3))
    b.row(t, "案件编号", "{{ case.number }}", "送审版本", "第{{ r.packet_version }}版", label_cols=(0, 2))
    b.row(t, "当 事 人", "{{ party_names }}", merge=(1, 3))
    b.row(t, "承办人员", "{{ officer_names }}", "送审日期", "{{ r.submitted_on }}", label_cols=(0, 2))
    b.row(t, "拟处理决定", "{{ r.draft_decision }}", merge=(1, 3))
    b.row(t, "重大执法决定情形", "{{ r.reasons }}", merge=(1, 3))
    b.p("", "ZPlain")
    b.p("审核事项：", "ZPlain").runs[0].bold = True
    c = b.table([1.2, 8.8, 6.0])
    b.row(c, "序号", "审核内容", "审核结论", label_cols=(0, 1, 2))
    b.row(c, "{%tr for it in r.checks %}", "", "")
    b.row(c, "{{ loop.index }}", "{{ it.label }}", "{{ it.result }}", label_cols=())
    b.row(c, "{%tr endfor %}", "", "")
    b.p("", "ZPlain")
    b.p("{{ r.outcome }}", "ZPlain", bold_prefix="审核意见：")
    b.loop("r.opinion_paras", "{{ x }}", style="ZCellBody")
    b.tag("{%p if r.corrections %}")
    b.p("需补正或纠正的问题：", "ZPlain").runs[0].bold = True
    b.loop("r.correction_paras", "{{ x }}", style="ZCellBody")
    b.tag("{%p endif %}")
    b.p("法制审核人员（签名）：{{ r.reviewer }}    法律职业资格证书编号：{{ r.qualification_no }}", "ZPlain")
    b.p("审核日期：{{ r.decided_on }}", "ZPlain")
    b.signature(seal=False)
    b.note("依据《中华人民共和国行政处罚法》第五十八条，未经法制审核或者审核未通过的，不得作出决定。")
    return b


BUILDERS = {
    "filing_approval": filing_approval,
    "inquiry_record": inquiry_record,
    "inspection_record": inspection_record,
    "penalty_notice": penalty_notice,
    "hearing_notice": hearing_notice,
    "hearing_record": hearing_record,
    "penalty_decision": penalty_decision,
    "service_receipt": service_receipt,
    "seizure_decision": seizure_decision,
    "seizure_list": seizure_list,
    "closing_report": closing_report,
    "legal_review_opinion": legal_review_opinion,
}


def build(outdir: Path = OUT) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for code, fn in BUILDERS.items():
        path = outdir / f"{code}.docx"
        fn().save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT):
        print(p)
