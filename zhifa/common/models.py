import datetime as dt
import re

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import AUDIT_ONLY_RULES, RestrictedManager


class ChangeLog(models.Model):
    """Who changed what, when, with the row before and after (issue: change log)."""

    class Action(models.TextChoices):
        CREATE = "create", _("新建")
        UPDATE = "update", _("修改")
        DELETE = "delete", _("删除")
        SUBMIT = "submit", _("提交确认")
        CONFIRM = "confirm", _("确认发布")
        REJECT = "reject", _("退回")
        IMPORT = "import", _("导入")

    time = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    user_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=300)
    before = models.JSONField(_("修改前"), null=True, blank=True)
    after = models.JSONField(_("修改后"), null=True, blank=True)
    reason = models.CharField(_("说明"), max_length=500, blank=True)

    # An audit log (三员分立): append-only, read as a log by the audit administrator only.
    objects = RestrictedManager()
    audit_log = True
    scope_rules = AUDIT_ONLY_RULES

    class Meta:
        ordering = ["-time", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id", "-time"])]
        verbose_name = _("变更记录")
        verbose_name_plural = _("变更记录")

    def __str__(self):
        return f"{self.time:%Y-%m-%d %H:%M} {self.user_name} {self.get_action_display()} {self.object_repr}"

    def diff(self):
        """[(field label, before, after)] for the fields that differ."""
        before, after = self.before or {}, self.after or {}
        labels = {}
        model = self.content_type.model_class()
        if model is not None:
            labels = {f.name: str(f.verbose_name) for f in model._meta.fields}
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return [(labels.get(k, k), before.get(k), after.get(k)) for k in keys]

    HIDDEN = {"lineage", "is_head", "path", "password"}

    def display_diff(self):
        """diff() for people: choice labels, 是/否, related rows by name, internal fields hidden."""
        model = self.content_type.model_class()
        out = []
        for name, b, a in self._raw_diff():
            if name in self.HIDDEN:
                continue
            field = None
            if model is not None:
                try:
                    field = model._meta.get_field(name)
                except Exception:  # noqa: BLE001 - a field removed since the row was logged
                    field = None
            label = str(field.verbose_name) if field is not None else name
            if getattr(field, "encrypted", False):  # personal data: the log keeps a keyed digest only
                out.append((label, "（加密，不显示）" if b else "", "（加密，不显示）" if a else ""))
                continue
            out.append((label, humanise(field, b), humanise(field, a)))
        return out

    def _raw_diff(self):
        before, after = self.before or {}, self.after or {}
        keys = [k for k in dict.fromkeys([*before, *after]) if before.get(k) != after.get(k)]
        return [(k, before.get(k), after.get(k)) for k in keys]


ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def local_datetime(value: str) -> str:
    """An ISO timestamp as logged (UTC) → local time in Chinese: 2026年12月7日 18:21."""
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        return value
    if timezone.is_naive(when):
        when = timezone.make_aware(when, dt.UTC)
    when = timezone.localtime(when)
    return f"{when.year}年{when.month}月{when.day}日 {when:%H:%M}"


def humanise(field, value):
    if value is None or value == "":
        return value
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str) and ISO_DATETIME.match(value):
        return local_datetime(value)
    if field is None:
        return value
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        import json

        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        if field.many_to_many and field.related_model is not None:
            names = {o.pk: str(o) for o in field.related_model._default_manager.filter(pk__in=value)}
            return "、".join(names.get(v, f"（已删除 #{v}）") for v in value)
        choices = dict(field.flatchoices) if field.choices else {}
        base = getattr(field, "base_field", None)
        if base is not None and base.choices:
            choices = dict(base.flatchoices)
        return "、".join(str(choices.get(v, v)) for v in value)
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if field.is_relation and field.related_model is not None:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"（已删除 #{value}）"
    return value
