"""案卷评查 (case-file review) models: rubrics, review rounds, the reviewed case files and their lines.

Rows are written only by zhifa.supervision.actions.casefile.
A review keeps a frozen copy of the rubric it was scored on (`rubric_items`), so editing a rubric
never changes a past score.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Kind as CaseKind
from zhifa.common.roles import Role
from zhifa.common.scope import SUBTREE, RestrictedManager
from zhifa.supervision.choices import CATEGORIES, ReviewGrade, ReviewHow, ReviewState, RoundState

USER = settings.AUTH_USER_MODEL
POINTS = dict(max_digits=6, decimal_places=1)

class Rubric(models.Model):
    """评查标准 for one case kind; `region` null is the system default, otherwise a justice
    bureau's own standard for its region (the most specific one applies). `items` is a list of
    {code, category, text, points, deductions: [{text, points, veto}]}."""

    region = models.ForeignKey("orgs.Region", verbose_name=_("适用区划"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("案件类别"), max_length=20, choices=CaseKind.choices)
    name = models.CharField(_("评查标准名称"), max_length=120)
    total_points = models.DecimalField(_("总分"), default=100, **POINTS)
    items = models.JSONField(_("评查项目"), default=list)
    version = models.PositiveIntegerField(_("版本"), default=1)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    # Reference data: every staff member may read it; writes are checked by the actions.
    objects = RestrictedManager()

    class Meta:
        ordering = ["kind", "region_id", "id"]
        verbose_name = _("案卷评查标准")
        verbose_name_plural = _("案卷评查标准")

    def __str__(self):
        return f"{self.name}（第{self.version}版）"


class ReviewRound(models.Model):
    """评查活动: a justice bureau's review of closed case files in its region."""

    State = RoundState

    owner = models.ForeignKey("orgs.Entity", verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="+")
    region = models.ForeignKey("orgs.Region", verbose_name=_("评查范围"), on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("活动名称"), max_length=120)
    year = models.PositiveSmallIntegerField(_("考核年度"))
    kinds = models.JSONField(_("案件类别"), default=list)
    closed_from = models.DateField(_("结案日期起"))
    closed_to = models.DateField(_("结案日期止"))
    pass_min = models.DecimalField(_("合格分数线"), default=60, **POINTS)
    excellent_min = models.DecimalField(_("优秀分数线"), default=90, **POINTS)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    seed = models.BigIntegerField(_("随机种子"), null=True, blank=True)
    sample_ratio = models.DecimalField(_("抽取比例"), max_digits=4, decimal_places=3, null=True, blank=True)
    sample_count = models.PositiveIntegerField(_("每主体抽取件数"), null=True, blank=True)
    sampled_on = models.DateField(_("抽取日期"), null=True, blank=True)
    created_by = models.ForeignKey(USER, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+")
    created_on = models.DateField(_("发起日期"))
    finished_on = models.DateField(_("完成日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "owner"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("案卷评查活动")
        verbose_name_plural = _("案卷评查活动")

    def __str__(self):
        return self.name


class CaseReview(models.Model):
    """One sampled case file in a round, its reviewer and its score."""

    State = ReviewState
    How = ReviewHow
    Grade = ReviewGrade

    round = models.ForeignKey(ReviewRound, verbose_name=_("评查活动"), on_delete=models.PROTECT, related_name="reviews")
    case = models.ForeignKey("cases.Case", verbose_name=_("案卷"), on_delete=models.PROTECT, related_name="file_reviews")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    how = models.CharField(_("选取方式"), max_length=10, choices=How.choices)
    reviewer = models.ForeignKey(USER, verbose_name=_("评查人"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")
    rubric = models.ForeignKey(Rubric, verbose_name=_("评查标准"), on_delete=models.PROTECT, related_name="+")
    rubric_version = models.PositiveIntegerField(_("评查标准版本"))
    rubric_items = models.JSONField(_("评查项目（评查时版本）"), default=list)
    total_points = models.DecimalField(_("总分"), **POINTS)
    state = models.CharField(_("状态"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    score = models.DecimalField(_("得分"), null=True, blank=True, **POINTS)
    grade = models.CharField(_("等次"), max_length=10, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(_("存在否决项"), default=False)
    comment = models.TextField(_("评查意见"), blank=True)
    submitted_on = models.DateField(_("提交日期"), null=True, blank=True)
    recommended_for_guidance = models.BooleanField(_("推荐为指导案例"), default=False)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_unit_path = "case__unit"
    scope_rules = {"change": {Role.SUPERVISOR: SUBTREE, Role.AGENCY_HEAD: None, Role.UNIT_HEAD: None}}

    class Meta:
        ordering = ["round_id", "entity_id", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "case"], name="case_review_once_per_round")]
        verbose_name = _("评查案卷")
        verbose_name_plural = _("评查案卷")

    def __str__(self):
        return f"{self.round.name}：{self.case}"


class ScoreLine(models.Model):
    """The deduction on one rubric item of one review (item score = max(0, points − deducted))."""

    review = models.ForeignKey(CaseReview, verbose_name=_("评查案卷"), on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(_("项目编号"), max_length=10)
    category = models.CharField(_("类别"), max_length=12, choices=CATEGORIES)
    text = models.CharField(_("评查项目"), max_length=300)
    max_points = models.DecimalField(_("分值"), **POINTS)
    options = models.JSONField(_("选中的扣分情形"), default=list, blank=True)
    extra = models.DecimalField(_("其他扣分"), default=0, **POINTS)
    deducted = models.DecimalField(_("扣分"), default=0, **POINTS)
    reason = models.TextField(_("扣分理由"), blank=True)

    class Meta:
        ordering = ["review_id", "id"]
        constraints = [models.UniqueConstraint(fields=["review", "code"], name="score_line_unique")]
        verbose_name = _("评查扣分")
        verbose_name_plural = _("评查扣分")
