"""Rendering: a .docx template + a context → .docx bytes (docxtpl / Jinja), and .docx → PDF
(LibreOffice headless). The PDF step is separate so it can move to a background task."""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import signal
import subprocess
import tempfile
import uuid
import zipfile

from jinja2 import Environment, StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError

from zhifa.common.actions import ActionRefused
from zhifa.documents import text

SOFFICE_TIMEOUT = int(os.environ.get("ZHIFA_SOFFICE_TIMEOUT", "90"))
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class PdfUnavailable(Exception):
    """The PDF could not be produced; the message (Chinese) says why."""


def soffice_path() -> str | None:
    explicit = os.environ.get("ZHIFA_SOFFICE")
    if explicit:
        return explicit if os.path.exists(explicit) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


def jinja_env() -> Environment:
    """Strict (a misspelt field is an error, not a blank) and XML-escaping, with the date and
    money filters templates may use: {{ case.decided_on|cn_date }}, {{ penalty.fine|rmb }}."""
    env = Environment(undefined=StrictUndefined, autoescape=True)
    env.filters.update({
        "cn_date": text.cn_date, "num_date": text.num_date, "rmb": text.rmb_upper,
        "rmb_phrase": text.rmb_phrase, "money": text.money,
    })
    return env


def _listings(value):
    """Strings with line breaks become docxtpl Listings (rendered as line breaks in Word)."""
    from docxtpl import Listing

    if isinstance(value, str) and "\n" in value:
        return Listing(value.replace("\r\n", "\n").replace("\r", "\n"))
    if isinstance(value, dict):
        return {k: _listings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_listings(v) for v in value]
    return value


def check_docx(data: bytes) -> None:
    """Refuse anything that is not a Word .docx (OOXML zip with a main document part)."""
    if not data:
        raise ActionRefused("documents.bad_template", "模板文件为空")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            ctypes = zf.read("[Content_Types].xml").decode("utf-8", "replace") if "[Content_Types].xml" in names else ""
    except zipfile.BadZipFile:
        raise ActionRefused("documents.bad_template",
                            "模板文件不是有效的Word文档（.docx）。如为.doc或WPS格式，请先另存为.docx") from None
    if "word/document.xml" not in names or "wordprocessingml.document.main" not in ctypes:
        raise ActionRefused("documents.bad_template", "模板文件不是Word文档（.docx），请用Word或WPS另存为.docx后上传")


_ERRORS = [
    (r"Encountered unknown tag '(\w+)'.*looking for the following tags: .*?'(end\w+)'.*closed is '(\w+)'",
     "标签“{{% {0} %}}”与“{{% {2} %}}”不配对，此处应为“{{% {1} %}}”"),
    (r"looking for the following tags: .*?'(end\w+)'.*block that needs to be closed is '(\w+)'",
     "缺少结束标签“{{% {0} %}}”（“{{% {1} %}}”没有对应的结束标签）"),
    (r"Encountered unknown tag '(end\w+)'", "多余的结束标签“{{% {0} %}}”（没有对应的开始标签）"),
    (r"Encountered unknown tag '(\w+)'", "无法识别的标签“{0}”（请检查拼写）"),
    (r"unexpected end of template", "模板在标签未闭合时结束（请检查“{{{{”与“}}}}”、“{{%”与“%}}”是否成对）"),
    (r"unexpected '(end of \w+ \w+)'", "标签内容不完整（“{{{{ }}}}”或“{{% %}}”中的表达式没有写完）"),
    (r"unexpected '(.+?)'", "标签中出现了多余或错误的符号“{0}”（请检查“{{{{”与“}}}}”、“{{%”与“%}}”是否成对）"),
    (r"expected token '(.+?)', got '(.+?)'", "标签写法有误：此处应为“{0}”，实际为“{1}”"),
    (r"'(.+?)' is undefined", "模板引用了不存在的字段“{0}”"),
    (r"has no attribute '(.+?)'", "模板引用了不存在的字段“{0}”"),
    (r"No filter named '(.+?)'", "模板使用了不存在的过滤器“{0}”"),
]


def explain(exc: Exception) -> str:
    """A Jinja/docxtpl error in Chinese, naming the problem and the text around it."""
    msg = getattr(exc, "message", None) or str(exc)
    for pattern, chinese in _ERRORS:
        m = re.search(pattern, msg, re.IGNORECASE | re.DOTALL)
        if m:
            reason = chinese.format(*m.groups())
            break
    else:
        reason = f"模板标签有误（{msg}）"
    near = [re.sub(r"\s+", " ", line).strip() for line in getattr(exc, "docx_context", None) or []]
    near = " ".join(x for x in near if x)
    if near:
        reason += f"。出错位置附近的文字：“{near[:120]}”"
    return reason


def render_docx(template_bytes: bytes, context: dict) -> bytes:
    """Fill the template; any template error becomes ActionRefused("documents.template_error")."""
    from docxtpl import DocxTemplate

    check_docx(template_bytes)
    try:
        tpl = DocxTemplate(io.BytesIO(template_bytes))
        tpl.render(_listings(context), jinja_env=jinja_env(), autoescape=True)
        out = io.BytesIO()
        tpl.save(out)
    except (TemplateSyntaxError, UndefinedError, TemplateError) as e:
        raise ActionRefused("documents.template_error", f"文书模板有误：{explain(e)}", field="file") from e
    except (KeyError, ValueError, zipfile.BadZipFile, OSError) as e:
        raise ActionRefused("documents.bad_template", f"无法读取模板文件：{e}", field="file") from e
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a .docx (tests, search, previews)."""
    import docx

    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]

    def cells(table):
        for row in table.rows:
            seen = set()
            for cell in row.cells:  # a merged cell is listed once per grid column: keep one
                if id(cell._tc) in seen:
                    continue
                seen.add(id(cell._tc))
                yield cell.text
                for inner in cell.tables:
                    yield from cells(inner)

    for t in d.tables:
        parts.extend(cells(t))
    for section in d.sections:
        parts.extend(p.text for p in section.footer.paragraphs)
    return "\n".join(parts)


def convert_pdf(docx_bytes: bytes, *, timeout: int | None = None) -> bytes:
    """.docx → PDF with LibreOffice headless; raises PdfUnavailable with a Chinese reason.

    Each call gets its own LibreOffice profile directory, so concurrent conversions do not
    collide on the profile lock."""
    result = convert_pdfs([docx_bytes], timeout=timeout)[0]
    if isinstance(result, PdfUnavailable):
        raise result
    return result


def convert_pdfs(docx_list: list[bytes], *, timeout: int | None = None) -> list[bytes | PdfUnavailable]:
    """Several .docx → PDF in ONE LibreOffice run: starting LibreOffice costs seconds, converting a
    document a fraction of that, so the worker converts what is queued together (documents/tasks.py).
    One result per input, in order: the PDF's bytes, or the PdfUnavailable saying why that one failed.
    The time limit grows with the number of files; on timeout every file fails with the reason."""
    exe = soffice_path()
    if exe is None:
        return [PdfUnavailable("服务器未安装LibreOffice（soffice），暂无法生成PDF；Word文件已生成，可下载后打印")
                for _ in docx_list]
    work = tempfile.mkdtemp(prefix="zf-pdf-")
    profile = os.path.join(tempfile.gettempdir(), f"lo-{uuid.uuid4().hex}")
    try:
        srcs = []
        for n, data in enumerate(docx_list):
            srcs.append(os.path.join(work, f"document-{n}.docx"))
            with open(srcs[-1], "wb") as fh:
                fh.write(data)
        cmd = [exe, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore", "--nolockcheck",
               "--convert-to", "pdf", "--outdir", work, *srcs]
        limit = (timeout or SOFFICE_TIMEOUT) * len(docx_list)
        try:
            # Own process group: on timeout the whole LibreOffice tree is killed, not just the
            # `soffice` wrapper script.
            proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
                                    env={**os.environ, "HOME": work})
        except OSError as e:
            return [PdfUnavailable(f"无法启动LibreOffice：{e}") for _ in docx_list]
        try:
            stdout, stderr = proc.communicate(timeout=limit)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return [PdfUnavailable(f"PDF转换超时（超过{limit}秒），请稍后重新生成") for _ in docx_list]
        detail = (stderr or stdout or b"").decode("utf-8", "replace").strip()[-300:]
        out: list[bytes | PdfUnavailable] = []
        for src in srcs:
            pdf = src[:-len(".docx")] + ".pdf"
            if not os.path.exists(pdf):
                out.append(PdfUnavailable(f"LibreOffice转换PDF失败（退出码{proc.returncode}）：{detail}"))
                continue
            with open(pdf, "rb") as fh:
                data = fh.read()
            out.append(data if data.startswith(b"%PDF-") else PdfUnavailable("LibreOffice输出的不是PDF文件"))
        return out
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(profile, ignore_errors=True)
