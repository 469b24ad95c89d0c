"""Loading a statute version into the law library (shipped texts or entered by an administrator).

Named rules:
  laws.admin_only      only a system administrator loads statute texts
  laws.fields          name, edition and effective date given; the text holds articles
  laws.edition_unique  one edition per law and effective date
"""
from __future__ import annotations

import datetime as dt
import hashlib

from django.db import transaction

from zhifa.common.actions import ActionRefused, log_change, snapshot
from zhifa.common.models import ChangeLog
from zhifa.common.roles import Role
from zhifa.discretion import library
from zhifa.discretion.models import LawArticle, LawText
from zhifa.ledger import log as ledger


def articles_digest(articles) -> str:
    h = hashlib.sha256()
    for a in articles:
        h.update(f"{a['number']}\t{a['text']}\n".encode())
    return h.hexdigest()


@transaction.atomic
def do_load_law(*, acting_user, name: str, edition: str, effective_from, text: str, aliases: str = "",
                source: str = "", effective_to=None) -> LawText:
    """One edition of a law; the edition before it (the latest earlier one still open) ends where this starts."""
    if not (acting_user is not None and (acting_user.is_superuser or getattr(acting_user, "role", "") == Role.ADMIN)):
        raise ActionRefused("laws.admin_only", "只有系统管理员可以录入法律法规文本", "name")
    name = (name or "").strip().strip("《》")
    if not name:
        raise ActionRefused("laws.fields", "请填写法律法规名称", "name")
    if not (edition or "").strip():
        raise ActionRefused("laws.fields", "请填写版本（如“2021年修订”）", "edition")
    if isinstance(effective_from, str):
        try:
            effective_from = dt.date.fromisoformat(effective_from.strip())
        except ValueError:
            raise ActionRefused("laws.fields", f"施行日期“{effective_from}”无效，应为YYYY-MM-DD", "effective_from") from None
    if not isinstance(effective_from, dt.date):
        raise ActionRefused("laws.fields", "请填写施行日期", "effective_from")
    articles = library.parse_articles(text)
    if not articles:
        raise ActionRefused("laws.fields", "文本中没有识别到条文（每条应以“第N条”开头）", "text")
    if LawText.objects.filter(name=name, effective_from=effective_from).exists():
        raise ActionRefused("laws.edition_unique", f"《{name}》{effective_from}施行的版本已录入", "effective_from")
    prev = (LawText.objects.select_for_update().filter(name=name, effective_from__lt=effective_from,
                                                        effective_to__isnull=True).order_by("-effective_from").first())
    if prev is not None:
        before = snapshot(prev)
        prev.effective_to = effective_from
        prev.save(update_fields=["effective_to"])
        log_change(prev, ChangeLog.Action.UPDATE, acting_user=acting_user, before=before, after=snapshot(prev),
                   reason=f"被{edition}版本取代")
    law = LawText.objects.create(name=name, aliases=(aliases or "").strip(), edition=edition.strip(),
                                 effective_from=effective_from, effective_to=effective_to, source=source[:200],
                                 sha256=articles_digest(articles))
    LawArticle.objects.bulk_create([LawArticle(law=law, **a) for a in articles])
    log_change(law, ChangeLog.Action.CREATE, acting_user=acting_user, after=snapshot(law),
               reason=f"录入《{name}》（{edition}），{len(articles)}条")
    ledger.append("laws.loaded", subject=law, actor=acting_user,
                  data={"id": law.pk, "name": name, "edition": law.edition, "articles": len(articles),
                        "sha256": law.sha256})
    return law


def load_shipped(*, acting_user) -> list[LawText]:
    """The texts shipped with zhifa (zhifa/discretion/laws/), those not loaded yet."""
    out = []
    for m in library.manifest():
        if LawText.objects.filter(name=m["name"], effective_from=m["effective_from"]).exists():
            continue
        text = (library.SHIPPED / m["file"]).read_text("utf-8")
        out.append(do_load_law(acting_user=acting_user, name=m["name"], edition=m["edition"],
                               effective_from=m["effective_from"], text=text, aliases=m.get("aliases", ""),
                               source="随系统发布"))
    return out
