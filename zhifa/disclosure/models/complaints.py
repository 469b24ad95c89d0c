"""咨询投诉 (consultations and complaints) and their handling record; what they do:
zhifa.disclosure.actions.complaints."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import BlindIndexField, EncryptedCharField
from zhifa.common.scope import RestrictedManager
from zhifa.disclosure import choices

USER = settings.AUTH_USER_MODEL


class Complaint(models.Model):
    """咨询投诉 submitted on the public site: lands in the entity's queue with a due date; the
    submitter follows it with the tracking code. `contact` is private (never shown publicly)."""

    Kind = choices.ComplaintKind
    State = choices.ComplaintState
    Source = choices.ComplaintSource
    Satisfaction = choices.Satisfaction

    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="complaints")
    kind = models.CharField(_("类别"), max_length=10, choices=Kind.choices)
    tracking_code = models.CharField(_("查询码"), max_length=16, unique=True)
    content = models.TextField(_("内容"))
    contact = EncryptedCharField(_("联系方式（不公开）"), max_length=100, blank=True)  # SM4 at rest
    contact_bidx = BlindIndexField(source="contact", kind="phone")  # look-up by the phone number in it
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.RECEIVED)
    received_on = models.DateField(_("收到日期"))
    due_on = models.DateField(_("办理期限"), null=True, blank=True)
    answer = models.TextField(_("答复"), blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    answered_by = models.ForeignKey(USER, verbose_name=_("答复人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    # Handling (issue 7 item 5): who registered it, where it came from, who assigned it, the reply's
    # feedback. `complainant` and `contact` are private: never on a public page or the public API.
    source = models.CharField(_("来源"), max_length=10, choices=Source.choices, default=Source.PORTAL)
    source_ref = models.CharField(_("来源编号（如12345工单号）"), max_length=60, blank=True)
    complainant = models.CharField(_("投诉人（不公开）"), max_length=50, blank=True)
    due_note = models.CharField(_("期限说明"), max_length=200, blank=True)
    due_pending_year = models.PositiveSmallIntegerField(_("办理期限待定（待录入年度）"), null=True, blank=True)
    registered_by = models.ForeignKey(USER, verbose_name=_("登记人"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="+")
    assigned_on = models.DateField(_("分派日期"), null=True, blank=True)
    assigned_by = models.ForeignKey(USER, verbose_name=_("分派人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    satisfaction = models.CharField(_("满意度"), max_length=12, choices=Satisfaction.choices, blank=True)
    feedback_comment = models.CharField(_("评价意见"), max_length=500, blank=True)
    feedback_on = models.DateField(_("评价日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # register: supervisors over their subtree (e.g. 12345 referrals), entity staff for their own entity;
    # assign (分派/改派): the justice bureau's supervisors only; handle (办理记录): the entity's staff;
    # change (答复, 管辖异议): the entity's heads.
    scope_rules = {"change": {"unit_head": "entity"},
                   "register": {"supervisor": "subtree", "agency_head": "entity", "unit_head": "entity",
                                "officer": "entity"},
                   "assign": {"supervisor": "subtree"},
                   "handle": {"agency_head": "entity", "unit_head": "entity", "officer": "entity"}}

    class Meta:
        verbose_name = _("咨询投诉")
        verbose_name_plural = _("咨询投诉")
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.tracking_code}"


class ComplaintStep(models.Model):
    """One entry of a complaint's handling record (办理记录): who did what, when, with a note.
    The public status page shows kind, date and entity only, never the note."""

    Kind = choices.ComplaintStepKind

    complaint = models.ForeignKey(Complaint, verbose_name=_("咨询投诉"), on_delete=models.PROTECT,
                                  related_name="steps")
    kind = models.CharField(_("环节"), max_length=10, choices=Kind.choices)
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("办理主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    note = models.TextField(_("说明"), blank=True)
    on = models.DateField(_("日期"))
    by = models.ForeignKey(USER, verbose_name=_("经办人"), null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    by_name = models.CharField(_("经办人姓名"), max_length=60, blank=True)
    at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "complaint__entity"

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"
