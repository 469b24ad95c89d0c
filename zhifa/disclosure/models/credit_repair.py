"""信用修复 (credit repair): a request to stop publishing a penalty before its period ends
(市场监督管理行政处罚信息公示规定 Art. 14). Staff register it for the party (or on their own
initiative); the entity head approves or rejects it (zhifa.disclosure.actions.credit_repair). Everything
here is internal: the public only sees that the entry is gone. A party may also apply on the public
portal with the access code printed on its documents (channel "portal"); its contact is kept for
staff only and never shown on a public page.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import EncryptedCharField
from zhifa.common.scope import RestrictedManager
from zhifa.disclosure import choices


class CreditRepair(models.Model):
    State = choices.CreditRepairState
    ApplicantKind = choices.ApplicantKind
    Channel = choices.CreditRepairChannel

    publication = models.ForeignKey("disclosure.Publication", verbose_name=_("公示信息"), on_delete=models.PROTECT,
                                    related_name="credit_repairs")
    applicant_kind = models.CharField(_("申请方式"), max_length=10, choices=ApplicantKind.choices,
                                      default=ApplicantKind.PARTY)
    applicant = models.CharField(_("申请人"), max_length=200, blank=True)
    reason = models.TextField(_("申请理由"))
    channel = models.CharField(_("申请渠道"), max_length=10, choices=Channel.choices, default=Channel.STAFF)
    contact = EncryptedCharField(_("联系方式"), max_length=100, blank=True,
                               help_text=_("网上申请时当事人留下的联系方式，仅供执法机关使用，不公开"))
    # The four conditions of Art. 14 (一)–(四), as declared and checked by staff.
    fulfilled = models.BooleanField(_("已履行行政处罚决定规定的义务"), default=False)
    harm_removed = models.BooleanField(_("已主动消除危害后果和不良影响"), default=False)
    no_repeat = models.BooleanField(_("未因同一类违法行为再次受到行政处罚"), default=False)
    not_listed = models.BooleanField(_("未列入经营异常名录和严重违法失信名单"), default=False)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    requested_on = models.DateField(_("申请日期"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decision_note = models.CharField(_("审批意见"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = RestrictedManager()
    scope_entity_path = "publication__entity"
    scope_unit_path = "publication__case__unit"

    CONDITIONS = ("fulfilled", "harm_removed", "no_repeat", "not_listed")

    class Meta:
        verbose_name = _("信用修复申请")
        verbose_name_plural = _("信用修复申请")
        ordering = ["-requested_on", "-id"]

    def __str__(self):
        return f"信用修复申请 {self.publication.decision_number}（{self.get_state_display()}）"
