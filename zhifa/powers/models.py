"""权责清单, 随机抽查事项清单, 服务指南, 流程图 — all versioned.

Every record belongs to a lineage (one logical item); each change makes a new version that
is a draft until the same-level justice bureau confirms it. Only confirmed versions are
published; confirming one supersedes the lineage's previous published version.
"""
import datetime as dt
import uuid

from django.core.serializers.json import DjangoJSONEncoder
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhifa.common.scope import RestrictedManager, RestrictedQuerySet
from zhifa.orgs.models import Entity, Unit


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    PENDING = "pending", _("待司法局确认")
    PUBLISHED = "published", _("已发布")
    REJECTED = "rejected", _("已退回")
    SUPERSEDED = "superseded", _("已被新版本替代")


class VersionedQuerySet(RestrictedQuerySet):
    def published(self, on: dt.date | None = None):
        on = on or timezone.localdate()
        return self.filter(status=VersionStatus.PUBLISHED, effective_from__lte=on).filter(
            Q(effective_to__isnull=True) | Q(effective_to__gt=on))

    def current(self):
        """The newest version of each lineage (what staff edit)."""
        return self.filter(is_head=True)


class Versioned(models.Model):
    lineage = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    is_head = models.BooleanField(default=True, editable=False, db_index=True)
    status = models.CharField(_("状态"), max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT, editable=False)
    effective_from = models.DateField(_("生效日期"), default=dt.date.today)
    effective_to = models.DateField(_("失效日期"), null=True, blank=True, editable=False)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True, editable=False)
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True, editable=False)
    confirmed_by = models.ForeignKey("orgs.User", verbose_name=_("确认人"), null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="+", editable=False)
    review_note = models.CharField(_("确认/退回意见"), max_length=500, blank=True, editable=False)

    objects = RestrictedManager.from_queryset(VersionedQuerySet)()
    # Fields copied into a new version; subclasses list their content fields.
    content_fields: tuple[str, ...] = ()

    class Meta:
        abstract = True

    @property
    def is_editable(self):
        return self.status in (VersionStatus.DRAFT, VersionStatus.REJECTED)


class PowerItem(Versioned):
    class Category(models.TextChoices):
        LICENSING = "licensing", _("行政许可")
        PENALTY = "penalty", _("行政处罚")
        COERCION = "coercion", _("行政强制")
        INSPECTION = "inspection", _("行政检查")
        LEVY = "levy", _("行政征收")
        PAYMENT = "payment", _("行政给付")
        CONFIRMATION = "confirmation", _("行政确认")
        REWARD = "reward", _("行政奖励")
        ADJUDICATION = "adjudication", _("行政裁决")
        OTHER = "other", _("其他行政权力")
        SUPERVISION = "supervision", _("行政执法监督")  # a justice bureau's own 监督权责清单

    entity = models.ForeignKey(Entity, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                               related_name="power_items")
    unit = models.ForeignKey(Unit, verbose_name=_("承办机构"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="power_items")
    code = models.CharField(_("事项编码"), max_length=40)
    name = models.CharField(_("事项名称"), max_length=300)
    category = models.CharField(_("权力类别"), max_length=16, choices=Category.choices)
    law = models.CharField(_("依据法律法规"), max_length=200)
    article = models.CharField(_("条款"), max_length=100, blank=True, help_text=_("如“第四十二条第一款”"))
    basis_text = models.TextField(_("依据条文内容"), blank=True)
    duties = models.TextField(_("责任事项"), blank=True)
    accountability = models.TextField(_("追责情形"), blank=True)
    # 互联网+监管: the national 监管事项目录编码 (14 digits) the exchange writes for this item's cases.
    supervision_code = models.CharField(_("监管事项目录编码"), max_length=14, blank=True,
                                        validators=[RegexValidator(r"^\d{14}$", _("监管事项目录编码应为14位数字"))],
                                        help_text=_("互联网+监管系统的监管事项目录编码，14位数字"))

    content_fields = ("entity", "unit", "code", "name", "category", "law", "article",
                      "basis_text", "duties", "accountability", "supervision_code")
    scope_entity_path = "entity"
    scope_unit_path = "unit"

    class Meta:
        ordering = ["entity_id", "code", "-version"]
        indexes = [models.Index(fields=["entity", "code"]), models.Index(fields=["lineage", "-version"])]
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], condition=Q(is_head=True),
                                    name="power_item_head_code_unique",
                                    violation_error_message="事项编码：该主体下已存在相同编码的事项"),
            models.UniqueConstraint(fields=["lineage", "version"], name="power_item_lineage_version",
                                    violation_error_message="版本号重复"),
        ]
        verbose_name = _("权责清单事项")
        verbose_name_plural = _("权责清单")

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.unit_id and self.entity_id and self.unit.entity_id != self.entity_id:
            raise ValidationError({"unit": _("承办机构不属于该实施主体")})
        # 监督权责清单: the supervision powers belong to the justice bureaus (司法行政机关) alone.
        if self.category == self.Category.SUPERVISION and self.entity_id and not self.entity.is_justice_bureau:
            raise ValidationError({"category": _("行政执法监督事项只能由司法行政机关（执法监督机构）填报")})

    @property
    def basis(self):
        return f"《{self.law}》{self.article}" if self.law else ""


class InspectionItem(Versioned):
    """随机抽查事项: key items (重点) have no ratio cap, general items have a ratio."""

    class Kind(models.TextChoices):
        KEY = "key", _("重点检查事项")
        GENERAL = "general", _("一般检查事项")

    entity = models.ForeignKey(Entity, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                               related_name="inspection_items")
    power_item_code = models.CharField(_("对应权责事项编码"), max_length=40, blank=True)
    code = models.CharField(_("抽查事项编码"), max_length=40)
    name = models.CharField(_("抽查事项名称"), max_length=300)
    kind = models.CharField(_("事项类别"), max_length=10, choices=Kind.choices)
    ratio = models.DecimalField(_("抽查比例（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    frequency = models.CharField(_("抽查频次"), max_length=50, blank=True)
    targets = models.CharField(_("检查对象"), max_length=200, blank=True)
    method = models.CharField(_("检查方式"), max_length=200, blank=True)
    law = models.CharField(_("检查依据"), max_length=300, blank=True)

    content_fields = ("entity", "power_item_code", "code", "name", "kind", "ratio", "frequency",
                      "targets", "method", "law")
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "code"], condition=Q(is_head=True),
                                    name="inspection_item_head_code_unique",
                                    violation_error_message="抽查事项编码：该主体下已存在相同编码的抽查事项"),
        ]
        verbose_name = _("随机抽查事项")
        verbose_name_plural = _("随机抽查事项清单")

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.kind == self.Kind.GENERAL and self.ratio is None:
            raise ValidationError({"ratio": _("一般检查事项须设定抽查比例")})
        if self.ratio is not None and not (0 < self.ratio <= 100):
            raise ValidationError({"ratio": _("抽查比例须在0到100之间")})


class ServiceGuide(Versioned):
    """服务指南 for one power item."""

    entity = models.ForeignKey(Entity, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                               related_name="service_guides")
    power_item_code = models.CharField(_("事项编码"), max_length=40)
    title = models.CharField(_("事项名称"), max_length=300)
    basis = models.TextField(_("设定依据"))
    accepting_unit = models.CharField(_("受理机构"), max_length=100)
    approving_unit = models.CharField(_("决定机构"), max_length=100)
    materials = models.TextField(_("申请材料"), help_text=_("每行一项"))
    steps = models.TextField(_("办理流程"), help_text=_("每行一步"))
    time_limit = models.CharField(_("办理时限"), max_length=100)
    office_hours = models.CharField(_("办公时间"), max_length=100)
    address = models.CharField(_("办理地点"), max_length=200)
    phone = models.CharField(_("咨询电话"), max_length=30)
    fee = models.CharField(_("收费标准"), max_length=200, blank=True, default="不收费")

    content_fields = ("entity", "power_item_code", "title", "basis", "accepting_unit",
                      "approving_unit", "materials", "steps", "time_limit", "office_hours",
                      "address", "phone", "fee")
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "power_item_code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "power_item_code"], condition=Q(is_head=True),
                                    name="service_guide_head_unique",
                                    violation_error_message="事项编码：该事项已有服务指南"),
        ]
        verbose_name = _("服务指南")
        verbose_name_plural = _("服务指南")

    def __str__(self):
        return self.title

    def material_list(self):
        return [m.strip() for m in self.materials.splitlines() if m.strip()]

    def step_list(self):
        return [s.strip() for s in self.steps.splitlines() if s.strip()]


class Flowchart(Versioned):
    """流程图: structured steps [{"key","label","kind":"start|task|decision|end","next":[keys]}]."""

    entity = models.ForeignKey(Entity, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                               related_name="flowcharts")
    title = models.CharField(_("流程名称"), max_length=200)
    power_category = models.CharField(_("适用权力类别"), max_length=16, choices=PowerItem.Category.choices)
    steps = models.JSONField(_("流程步骤"), default=list)

    content_fields = ("entity", "title", "power_category", "steps")
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["entity", "title"], condition=Q(is_head=True),
                                    name="flowchart_head_unique",
                                    violation_error_message="流程名称：该主体下已存在同名流程图"),
        ]
        verbose_name = _("流程图")
        verbose_name_plural = _("流程图")

    def __str__(self):
        return self.title

    def clean(self):
        from django.core.exceptions import ValidationError

        from zhifa.powers.flow import check_steps

        problem = check_steps(self.steps)
        if problem:
            raise ValidationError({"steps": problem})


class DiscretionBenchmark(Versioned):
    """行政处罚裁量基准 (行政处罚法 Art. 34) for one penalty item of the 权责清单.

    `levels` holds the circumstance levels (档位), each
    {"level": "不予处罚|减轻|从轻|一般|从重", "circumstances": "...", "sanctions": ["warning", "fine", …],
     "fine_basis": "fixed|multiple_of_illegal_gains|multiple_of_goods_value",
     "fine_min", "fine_max" (元, fixed basis), "multiple_min", "multiple_max" (倍数 bases), "other": "..."};
    amounts are stored as decimal strings. See zhifa.powers.discretion for the vocabulary, the
    validation and the checker used by case handling.
    """

    entity = models.ForeignKey(Entity, verbose_name=_("实施主体"), on_delete=models.PROTECT,
                               related_name="discretion_benchmarks")
    power_item_code = models.CharField(_("权责事项编码"), max_length=40,
                                       help_text=_("本主体权责清单中行政处罚事项的编码"))
    violation = models.CharField(_("违法行为"), max_length=300)
    basis = models.TextField(_("处罚依据"), help_text=_("法律法规名称及条款，如《中华人民共和国食品安全法》第一百二十四条"))
    # blank: clean() asks for at least one level; the encoder lets Decimals reach clean(), which
    # stores amounts as decimal strings.
    levels = models.JSONField(_("裁量档位"), default=list, blank=True, encoder=DjangoJSONEncoder)

    content_fields = ("entity", "power_item_code", "violation", "basis", "levels")
    scope_entity_path = "entity"

    class Meta:
        ordering = ["entity_id", "power_item_code", "-version"]
        indexes = [models.Index(fields=["entity", "power_item_code"])]
        constraints = [
            models.UniqueConstraint(fields=["entity", "power_item_code"], condition=Q(is_head=True),
                                    name="discretion_benchmark_head_unique",
                                    violation_error_message="权责事项编码：该事项已有裁量基准"),
        ]
        verbose_name = _("裁量基准")
        verbose_name_plural = _("行政处罚裁量基准")

    def __str__(self):
        return f"{self.power_item_code} {self.violation}"

    def clean(self):
        from django.core.exceptions import ValidationError

        from zhifa.powers.discretion import clean_levels

        errors = {}
        if self.entity_id and self.power_item_code:
            item = (PowerItem.objects.filter(entity_id=self.entity_id, code=self.power_item_code)
                    .order_by("-is_head", "-version").first())
            if item is None:
                errors["power_item_code"] = _("本主体权责清单中没有编码为“%(code)s”的事项") % {
                    "code": self.power_item_code}
            elif item.category != PowerItem.Category.PENALTY:
                errors["power_item_code"] = _("事项“%(code)s”不是行政处罚事项") % {"code": self.power_item_code}
        levels, problems = clean_levels(self.levels)
        if problems:
            errors["levels"] = problems
        else:
            self.levels = levels
        if errors:
            raise ValidationError(errors)

    def level(self, name: str) -> dict | None:
        return next((lv for lv in self.levels or [] if lv.get("level") == name), None)

    def level_names(self) -> str:
        return "、".join(lv.get("level", "") for lv in self.levels or [])
    level_names.short_description = _("裁量档位")
