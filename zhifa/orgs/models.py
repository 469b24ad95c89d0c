"""Regions, enforcement entities (执法主体), units, staff accounts, officers and certificates."""
import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.common.fields import BlindIndexField, EncryptedCharField
from zhifa.common.identifiers import (
    validate_credit_code,
    validate_id_number,
    validate_phone,
    validate_region_code,
)
from zhifa.common.roles import Role
from zhifa.common.scope import ALL, SUBTREE, RestrictedManager, RestrictedQuerySet


class Region(models.Model):
    """GB/T 2260 region (省/市/县) or GB/T 10114 town (乡镇); `path` makes subtree queries one LIKE."""

    class Level(models.IntegerChoices):
        PROVINCE = 1, _("省")
        CITY = 2, _("市")
        COUNTY = 3, _("县")
        TOWN = 4, _("乡镇")

    code = models.CharField(_("行政区划代码"), max_length=9, unique=True, validators=[validate_region_code])
    name = models.CharField(_("名称"), max_length=60)
    level = models.PositiveSmallIntegerField(_("层级"), choices=Level.choices)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    path = models.CharField(max_length=60, db_index=True, editable=False)

    objects = RestrictedManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "/") + self.code + "/"
        super().save(*args, **kwargs)

    @property
    def full_name(self):
        names, r = [], self
        while r:
            names.append(r.name)
            r = r.parent
        return "".join(reversed(names))


class Entity(models.Model):
    """执法主体: a legally competent agency, an authorised organisation or an entrusted one."""

    class Kind(models.TextChoices):
        STATUTORY = "statutory", _("法定行政机关")
        AUTHORISED = "authorised", _("法律法规授权组织")
        ENTRUSTED = "entrusted", _("受委托组织")

    name = models.CharField(_("主体全称"), max_length=120, unique=True)
    short_code = models.CharField(_("机关代字"), max_length=20,
                                  help_text=_("用于文书编号，如“黔毕市监”"))
    kind = models.CharField(_("主体类别"), max_length=16, choices=Kind.choices, default=Kind.STATUTORY)
    entrusted_by = models.ForeignKey("self", verbose_name=_("委托机关"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="entrusted")
    credit_code = models.CharField(_("统一社会信用代码"), max_length=18, unique=True,
                                   validators=[validate_credit_code])
    region = models.ForeignKey(Region, verbose_name=_("所在区划"), on_delete=models.PROTECT,
                               related_name="entities")
    is_justice_bureau = models.BooleanField(_("司法行政机关（执法监督机构）"), default=False)
    fields = models.CharField(_("执法领域"), max_length=300, blank=True,
                              help_text=_("多个领域以顿号分隔，如“市场监管、食品安全”"))
    legal_basis = models.TextField(_("设立及执法依据"), blank=True)
    address = models.CharField(_("办公地址"), max_length=200, blank=True)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    supervision_channel = models.CharField(_("监督渠道"), max_length=300, blank=True)
    remedy_channel = models.CharField(_("救济渠道"), max_length=300, blank=True)
    hearing_threshold_citizen = models.DecimalField(
        _("较大数额罚款（公民，元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    hearing_threshold_org = models.DecimalField(
        _("较大数额罚款（法人或其他组织，元）"), max_digits=12, decimal_places=2, null=True, blank=True)
    is_active = models.BooleanField(_("有效"), default=True)

    objects = RestrictedManager()
    scope_entity_path = ""  # the row is the entity itself
    scope_rules = {"change": {Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["region__code", "name"]
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.ENTRUSTED and not self.entrusted_by_id:
            raise ValidationError({"entrusted_by": _("受委托组织必须填写委托机关")})
        if self.kind != self.Kind.ENTRUSTED and self.entrusted_by_id:
            raise ValidationError({"entrusted_by": _("只有受委托组织才有委托机关")})
        if self.entrusted_by_id and self.entrusted_by_id == self.pk:
            raise ValidationError({"entrusted_by": _("委托机关不能是本主体")})

    @property
    def field_list(self):
        return [f for f in self.fields.replace("，", "、").replace(",", "、").split("、") if f]


class Unit(models.Model):
    """Internal unit (内设机构) of an entity, e.g. 法规科, 稽查大队."""

    entity = models.ForeignKey(Entity, verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="units")
    name = models.CharField(_("机构名称"), max_length=100)
    is_legal_unit = models.BooleanField(_("法制审核机构"), default=False)
    phone = models.CharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["entity_id", "name"]
        constraints = [models.UniqueConstraint(fields=["entity", "name"], name="unit_unique_name")]
        verbose_name = _("内设机构")
        verbose_name_plural = _("内设机构")

    def __str__(self):
        return f"{self.entity.name}·{self.name}"


class UserQuerySet(RestrictedQuerySet):
    pass


class ZhifaUserManager(UserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A staff account. It acts for exactly one entity, in one role."""

    display_name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.OFFICER)
    entity = models.ForeignKey(Entity, verbose_name=_("所属主体"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="users")
    unit = models.ForeignKey(Unit, verbose_name=_("内设机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="users")

    objects = ZhifaUserManager()
    scope_entity_path = "entity"
    scope_unit_path = "unit"
    scope_rules = {"change": {Role.UNIT_HEAD: None, Role.AGENCY_HEAD: None}}
    changelog_exclude = ("password", "last_login")

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.display_name or self.username


class OfficerQuerySet(RestrictedQuerySet):
    def with_cert_status(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        valid = Certificate.objects.filter(
            officer=models.OuterRef("pk"), status=Certificate.Status.VALID, expires_on__gte=on)
        return self.annotate(has_valid_cert=models.Exists(valid))


class Officer(models.Model):
    """执法人员 (person on the personnel list); may or may not have a login (`user`)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("在岗")
        SUSPENDED = "suspended", _("暂停执法")
        LEFT = "left", _("调离/退休")

    entity = models.ForeignKey(Entity, verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="officers")
    unit = models.ForeignKey(Unit, verbose_name=_("内设机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="officers")
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="officer")
    name = models.CharField(_("姓名"), max_length=50, db_index=True)
    # Personal data, encrypted at rest (SM4); unique through the blind index (zhifa/common/fields.py).
    id_number = EncryptedCharField(_("身份证号"), max_length=18, validators=[validate_id_number])
    id_number_bidx = BlindIndexField(source="id_number", kind="id_number", unique=True)
    gender = models.CharField(_("性别"), max_length=1, choices=[("M", _("男")), ("F", _("女"))], blank=True)
    phone = EncryptedCharField(_("手机号"), max_length=30, blank=True, validators=[validate_phone])
    phone_bidx = BlindIndexField(source="phone", kind="phone")
    title = models.CharField(_("职务"), max_length=50, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    legal_qualification = models.BooleanField(_("具有法律职业资格"), default=False)
    legal_qualification_no = models.CharField(_("法律职业资格证书编号"), max_length=40, blank=True)
    is_legal_reviewer = models.BooleanField(_("法制审核人员"), default=False)
    returned_on = models.DateField(_("离岗后重新上岗日期"), null=True, blank=True,
                                   help_text=_("离开执法岗位后重新从事执法工作的，须完成离岗培训"))

    objects = RestrictedManager.from_queryset(OfficerQuerySet)()
    scope_entity_path = "entity"
    scope_unit_path = "unit"
    changelog_exclude = ()

    class Meta:
        ordering = ["entity_id", "name", "id"]
        indexes = [models.Index(fields=["entity", "status"])]
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")

    def __str__(self):
        return self.name

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.unit_id and self.entity_id and self.unit.entity_id != self.entity_id:
            raise ValidationError({"unit": _("内设机构不属于该执法主体")})
        if self.legal_qualification and not self.legal_qualification_no:
            raise ValidationError({"legal_qualification_no": _("具有法律职业资格的须填写证书编号")})

    def training_hours(self, year: int):
        return self.trainings.filter(year=year).aggregate(h=Sum("hours"))["h"] or 0

    def training_ok(self, year: int) -> bool:
        return self.training_hours(year) >= settings.ZHIFA_TRAINING_MIN_HOURS

    def training_status(self, year: int) -> list[dict]:
        """Each tier's requirement and where the officer stands (岗前: ever; 岗中: the year; 离岗: since leaving,
        only for an officer back on duty after leaving the post)."""
        reqs = {r.tier: r for r in TrainingRequirement.objects.all()}
        out = []
        for tier, label in TrainingTier.choices:
            req = reqs.get(tier) or TrainingRequirement(tier=tier, **TRAINING_DEFAULTS[tier])
            rows = self.trainings.filter(tier=tier)
            if tier == TrainingTier.IN_SERVICE:
                rows = rows.filter(year=year)
            applies = tier != TrainingTier.LEAVING or self.returned_on is not None
            hours = rows.aggregate(h=Sum("hours"))["h"] or 0
            exam = rows.filter(exam_passed=True).exists()
            met = (not applies) or (hours >= req.min_hours and (exam or not req.exam_required))
            out.append({"tier": tier, "label": str(label), "applies": applies, "hours": hours,
                        "min_hours": req.min_hours, "exam_required": req.exam_required, "exam_passed": exam, "met": met})
        return out

    def barred_by(self, on: dt.date | None = None, field: str | None = None):
        """The suspended (暂扣) or withdrawn (注销/吊销) certificate that keeps this officer from enforcement on
        the day, or None: an officer holding another certificate valid for the field is not barred."""
        on = on or timezone.localdate()
        if self.valid_certificates(on=on, field=field or None).exists():
            return None
        bad = self.certificates.filter(status__in=(Certificate.Status.SUSPENDED, Certificate.Status.REVOKED))
        if field:
            bad = bad.filter(fields__contains=field)
        return bad.order_by("-status_changed_on", "-id").first()

    def valid_certificates(self, on: dt.date | None = None, field: str | None = None):
        on = on or timezone.localdate()
        qs = self.certificates.filter(status=Certificate.Status.VALID, issued_on__lte=on, expires_on__gte=on)
        if field:
            qs = qs.filter(fields__contains=field)
        return qs


class Certificate(models.Model):
    """执法证."""

    class Status(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        REVOKED = "revoked", _("注销/吊销")

    class Check(models.TextChoices):
        NONE = "", _("未审验")
        PASSED = "passed", _("合格")
        FAILED = "failed", _("不合格")

    officer = models.ForeignKey(Officer, verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="certificates")
    number = models.CharField(_("执法证号"), max_length=40, unique=True)
    fields = models.CharField(_("执法领域"), max_length=200)
    issuing_authority = models.CharField(_("发证机关"), max_length=100)
    issued_on = models.DateField(_("发证日期"))
    expires_on = models.DateField(_("有效期至"))
    status = models.CharField(_("证件状态"), max_length=16, choices=Status.choices, default=Status.VALID)
    annual_check_year = models.PositiveSmallIntegerField(_("年审年度"), null=True, blank=True)
    annual_check_result = models.CharField(_("年审结果"), max_length=10, choices=Check.choices,
                                           blank=True, default="")
    status_reason = models.TextField(_("暂扣/注销/吊销理由"), blank=True)
    status_changed_on = models.DateField(_("状态变更日期"), null=True, blank=True)
    suspended_until = models.DateField(_("暂扣期限至"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "officer__entity"
    scope_unit_path = "officer__unit"
    # Suspending, restoring and withdrawing (暂扣/恢复/注销、吊销): the justice bureau's supervisors over their
    # region, administrators (zhifa.orgs.actions.do_suspend_certificate …).
    scope_rules = {"manage": {Role.SUPERVISOR: SUBTREE, Role.ADMIN: ALL}}

    class Meta:
        ordering = ["-expires_on"]
        verbose_name = _("执法证")
        verbose_name_plural = _("执法证")

    def __str__(self):
        return f"{self.number}（{self.officer.name}）"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.issued_on and self.expires_on and self.expires_on <= self.issued_on:
            raise ValidationError({"expires_on": _("有效期至必须晚于发证日期")})

    def is_valid_on(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.status == self.Status.VALID and self.issued_on <= on <= self.expires_on

    def status_on(self, on: dt.date | None = None) -> str:
        """The one status to show (有效 / 已过期 / 已注销 / 暂扣 / 未生效), from the recorded state and
        the dates together: a certificate recorded 有效 past its expiry date is 已过期, never both."""
        on = on or timezone.localdate()
        if self.status == self.Status.REVOKED:
            return "已注销"
        if self.status == self.Status.SUSPENDED:
            return "暂扣"
        if self.expires_on and on > self.expires_on:
            return "已过期"
        if self.issued_on and on < self.issued_on:
            return "未生效"
        return str(self.Status(self.status).label) if self.status in self.Status.values else self.status

    def get_status_display(self) -> str:  # every staff page shows the state as of today, never 有效 after expiry
        if self.status == self.Status.REVOKED:
            return str(self.Status.REVOKED.label)  # staff pages and the API keep the legal wording 注销/吊销
        return self.status_on()


class CertificateStatusChange(models.Model):
    """One suspension (暂扣), restoration (恢复) or withdrawal (注销/吊销) of a certificate, with its reason."""

    class Action(models.TextChoices):
        SUSPEND = "suspend", _("暂扣")
        RESTORE = "restore", _("恢复")
        WITHDRAW = "withdraw", _("注销/吊销")

    certificate = models.ForeignKey(Certificate, verbose_name=_("执法证"), on_delete=models.PROTECT,
                                    related_name="status_changes")
    action = models.CharField(_("处理"), max_length=10, choices=Action.choices)
    reason = models.TextField(_("理由"))
    basis = models.CharField(_("依据"), max_length=200, blank=True)
    on = models.DateField(_("日期"))
    until = models.DateField(_("暂扣期限至"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("经办人"), on_delete=models.PROTECT,
                           related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "certificate__officer__entity"
    scope_unit_path = "certificate__officer__unit"

    class Meta:
        ordering = ["certificate_id", "-on", "-id"]
        verbose_name = _("执法证状态变更")
        verbose_name_plural = _("执法证状态变更")

    def __str__(self):
        return f"{self.certificate.number} {self.get_action_display()}（{self.on:%Y-%m-%d}）"


class TrainingTier(models.TextChoices):
    PRE_JOB = "pre_job", _("岗前培训")
    IN_SERVICE = "in_service", _("岗中培训")
    LEAVING = "leaving", _("离岗培训")


# National defaults, each may be changed (TrainingRequirement rows): 岗前 before the first certificate,
# 岗中 every year (≥ 40 hours, seed 000), 离岗 before an officer who left the post takes enforcement up again.
TRAINING_DEFAULTS: dict[str, dict] = {
    TrainingTier.PRE_JOB: {"min_hours": 60, "exam_required": True},
    TrainingTier.IN_SERVICE: {"min_hours": 40, "exam_required": False},
    TrainingTier.LEAVING: {"min_hours": 24, "exam_required": True},
}


class TrainingRequirement(models.Model):
    """The requirement of one training tier: hours and whether an exam must be passed."""

    tier = models.CharField(_("培训类别"), max_length=12, choices=TrainingTier.choices, unique=True)
    min_hours = models.PositiveSmallIntegerField(_("最低学时"))
    exam_required = models.BooleanField(_("须考试合格"), default=False)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    objects = RestrictedManager()
    scope_entity_path = None  # reference data: everyone reads it, administrators change it

    class Meta:
        ordering = ["tier"]
        verbose_name = _("培训要求")
        verbose_name_plural = _("培训要求")

    def __str__(self):
        return f"{self.get_tier_display()}：{self.min_hours}学时"


class Training(models.Model):
    Tier = TrainingTier

    officer = models.ForeignKey(Officer, verbose_name=_("执法人员"), on_delete=models.PROTECT,
                                related_name="trainings")
    tier = models.CharField(_("培训类别"), max_length=12, choices=TrainingTier.choices, default=TrainingTier.IN_SERVICE)
    exam_passed = models.BooleanField(_("考试合格"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    course = models.CharField(_("培训内容"), max_length=200)
    hours = models.DecimalField(_("学时"), max_digits=5, decimal_places=1)
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "officer__entity"
    scope_unit_path = "officer__unit"

    class Meta:
        ordering = ["-year", "-finished_on"]
        verbose_name = _("培训记录")
        verbose_name_plural = _("培训记录")

    def __str__(self):
        return f"{self.officer.name} {self.year} {self.course}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.hours is not None and self.hours <= 0:
            raise ValidationError({"hours": _("学时必须大于0")})
        if self.finished_on and self.year and self.finished_on.year != self.year:
            raise ValidationError({"finished_on": _("完成日期须在培训年度内")})


class LegalAdviser(models.Model):
    """法律顾问 / 公职律师 consulted on difficult cases."""

    class Kind(models.TextChoices):
        ADVISER = "adviser", _("法律顾问")
        PUBLIC_LAWYER = "public_lawyer", _("公职律师")

    entity = models.ForeignKey(Entity, verbose_name=_("执法主体"), on_delete=models.PROTECT,
                               related_name="advisers")
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("姓名"), max_length=50)
    licence_no = models.CharField(_("执业证号"), max_length=40)
    firm = models.CharField(_("执业机构"), max_length=100, blank=True)
    phone = EncryptedCharField(_("联系电话"), max_length=30, blank=True, validators=[validate_phone])
    engaged_from = models.DateField(_("聘任起始"), null=True, blank=True)
    engaged_to = models.DateField(_("聘任截止"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["entity_id", "name"]
        verbose_name = _("法律顾问/公职律师")
        verbose_name_plural = _("法律顾问/公职律师")

    def __str__(self):
        return f"{self.name}（{self.get_kind_display()}）"


def active_officers_q():
    return Q(status=Officer.Status.ACTIVE)
