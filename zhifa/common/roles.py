from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("执法人员")
    UNIT_HEAD = "unit_head", _("承办机构负责人")
    LEGAL_REVIEWER = "legal_reviewer", _("法制审核人员")
    AGENCY_HEAD = "agency_head", _("行政机关负责人")
    SUPERVISOR = "supervisor", _("执法监督人员")
    ADMIN = "admin", _("系统管理员")
