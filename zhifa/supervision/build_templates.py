"""Builds the shipped default templates of the supervision documents (templates_docx/<kind>.docx), with
the documents app's builder (same fonts, GB/T 9704 layout, reproducible zips).

    .venv/bin/python -m zhifa.supervision.build_templates

Fields (see actions.documents.FIELD_HELP): issuer (the supervising body), entity (the supervised one), doc,
order, case, alert.
"""
from __future__ import annotations

from pathlib import Path

from zhifa.documents.build_templates import Builder

OUT = Path(__file__).resolve().parent / "templates_docx"

# kind → (title, opening, closing)
LETTERS = {
    "duban": ("督办通知书", "本机关在行政执法监督中发现下列问题，现予督办：",
              "请你单位{{ order.due_phrase }}依法办理完毕，并将办理结果书面报送本机关。"),
    "rectify": ("整改通知书", "本机关在行政执法监督中发现你单位存在下列问题，现通知整改：",
                "请你单位{{ order.due_phrase }}整改完毕，并将整改情况书面报告本机关。"),
    "suggestion": ("执法监督建议书", "本机关在行政执法监督中发现下列问题，为规范行政执法行为，提出如下建议：",
                   "请你单位研究办理，{{ order.due_phrase }}将采纳情况书面回复本机关。"),
    "decision": ("执法监督决定书", "本机关在行政执法监督中发现下列问题，依法作出如下决定：",
                 "请你单位自收到本决定书之日起执行，{{ order.due_phrase }}将执行情况书面报告本机关。"
                 "逾期不执行的，本机关将依法予以通报并提请追究有关人员责任。"),
}


def letter(kind: str) -> Builder:
    title, opening, closing = LETTERS[kind]
    b = Builder()
    b.p("{{ issuer.name }}", "ZAgency")
    b.p(title, "ZTitle")
    b.tag("{%p if doc.number %}")
    b.p("{{ doc.number }}", "ZNumber")
    b.tag("{%p endif %}")
    b.p("{{ entity.name }}：", "ZPlain")
    b.tag("{%p if case.present %}")
    b.p("你单位办理的“{{ case.title }}”（{{ case.number }}）。", "ZBody", bold_prefix="涉及案件：")
    b.tag("{%p endif %}")
    b.tag("{%p if alert.present %}")
    b.p("{{ alert.text }}（{{ alert.first_seen.cn }}发现）。", "ZBody", bold_prefix="监督发现：")
    b.tag("{%p endif %}")
    b.p(opening)
    b.tag("{%p for x in order.text_paras %}")
    b.p("{{ x }}")
    b.tag("{%p endfor %}")
    b.p(closing)
    b.p("{{ issuer.name }}", "ZSignTop")
    b.p("（印  章）", "ZSign")
    b.p("{{ doc.date.cn }}", "ZSign")
    b.note("联系人：{{ order.issued_by }}    本文书一式两份，一份送被监督单位，一份存档。")
    return b


def build(outdir: Path = OUT) -> list[Path]:
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in LETTERS:
        path = outdir / f"{kind}.docx"
        letter(kind).save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for p in build():
        print(p)
