"""The verifiable draw and the inspection tasks it makes."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.common.roles import Role
from zhifa.common.scope import ENTITY, RestrictedManager
from zhifa.inspections.choices import DrawState, RecusalState, Source, TaskResult

USER = settings.AUTH_USER_MODEL


class Draw(models.Model):
    """抽取: committed (ledgered) before its random value exists, then revealed and drawn in one
    transaction. `commitment` is the canonical JSON text whose SHA-256 the ledger holds."""

    State = DrawState
    Source = Source

    batch = models.ForeignKey("inspections.Batch", verbose_name=_("抽查批次"), on_delete=models.PROTECT,
                              related_name="draws")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("制定主体"), on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("状态"), max_length=10, choices=DrawState.choices, default=DrawState.COMMITTED)
    source = models.CharField(_("随机源"), max_length=8, choices=Source.choices)
    beacon_round = models.PositiveBigIntegerField(_("drand 轮次"), null=True, blank=True)
    lottery_name = models.CharField(_("彩票名称"), max_length=60, blank=True)
    lottery_issue = models.CharField(_("开奖期号"), max_length=30, blank=True)
    lottery_draw_on = models.DateField(_("开奖日期"), null=True, blank=True)
    algorithm = models.CharField(_("抽取算法版本"), max_length=20)
    object_snapshot = models.ForeignKey("inspections.RosterSnapshot", verbose_name=_("检查对象快照"),
                                        on_delete=models.PROTECT, related_name="+")
    inspector_snapshot = models.ForeignKey("inspections.RosterSnapshot", verbose_name=_("检查人员快照"),
                                           on_delete=models.PROTECT, related_name="+")
    commitment = models.TextField(_("承诺（规范JSON）"))
    commitment_sha256 = models.CharField(_("承诺摘要"), max_length=64)
    commit_seq = models.PositiveBigIntegerField(_("承诺的日志序号"), null=True, blank=True)
    committed_at = models.DateTimeField(_("承诺时间"))
    committed_by = models.ForeignKey(USER, verbose_name=_("承诺人"), on_delete=models.PROTECT, related_name="+")
    # The first of two lottery entries (two different users must type the same numbers).
    lottery_first = models.CharField(_("开奖号码（第一次录入）"), max_length=100, blank=True)
    lottery_first_by = models.ForeignKey(USER, verbose_name=_("第一次录入人"), null=True, blank=True,
                                         on_delete=models.PROTECT, related_name="+")
    reveal = models.JSONField(_("公开随机值及证明"), default=dict, blank=True)
    revealed_by = models.ForeignKey(USER, verbose_name=_("揭示人"), null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    seed = models.CharField(_("种子"), max_length=64, blank=True)
    result = models.JSONField(_("抽取结果"), default=dict, blank=True)
    result_sha256 = models.CharField(_("结果摘要"), max_length=64, blank=True)
    selected_count = models.PositiveIntegerField(_("抽中对象数"), default=0)
    published = models.BooleanField(_("已公示"), default=False)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: ENTITY}}
    changelog_exclude = ("result",)  # result_sha256 stands for it

    class Meta:
        ordering = ["-committed_at", "-id"]
        verbose_name = _("双随机抽取")
        verbose_name_plural = _("双随机抽取")

    def __str__(self):
        return f"{self.batch.name} 抽取#{self.pk}"

    @property
    def source_label(self) -> str:
        if self.source == Source.DRAND:
            return f"drand quicknet 第{self.beacon_round}轮"
        return f"{self.lottery_name}第{self.lottery_issue}期（{self.lottery_draw_on}开奖）"


class Task(models.Model):
    """检查任务: one drawn object, carried out as a 行政检查 case by the matched inspectors."""

    Result = TaskResult

    draw = models.ForeignKey(Draw, verbose_name=_("抽取"), on_delete=models.PROTECT, related_name="tasks")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    roster_object = models.ForeignKey("inspections.RosterObject", verbose_name=_("检查对象"), null=True, blank=True,
                                      on_delete=models.PROTECT, related_name="tasks")
    object_key = models.CharField(_("检查对象编号"), max_length=40)
    object_name = models.CharField(_("检查对象名称"), max_length=200)
    risk = models.CharField(_("信用风险等级"), max_length=1)
    inspectors = models.ManyToManyField("orgs.Officer", verbose_name=_("检查人员"), related_name="inspection_tasks")
    case = models.OneToOneField("cases.Case", verbose_name=_("行政检查案件"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="inspection_task")
    due_on = models.DateField(_("完成期限"))
    result = models.CharField(_("检查结果"), max_length=16, choices=TaskResult.choices, blank=True)
    result_note = models.TextField(_("检查情况"), blank=True)
    done_on = models.DateField(_("检查完成日期"), null=True, blank=True)
    publish_due_on = models.DateField(_("结果公示期限"), null=True, blank=True)
    published_on = models.DateField(_("结果公示日期"), null=True, blank=True)

    objects = RestrictedManager()
    scope_entity_path = "entity"
    scope_rules = {"change": {Role.UNIT_HEAD: ENTITY, Role.OFFICER: ENTITY}}

    class Meta:
        ordering = ["draw_id", "id"]
        verbose_name = _("检查任务")
        verbose_name_plural = _("检查任务")

    def __str__(self):
        return f"{self.object_name}（{self.object_key}）"


class Recusal(models.Model):
    """回避: an inspector of a task declares a conflict with its object; a head decides. An approved
    recusal replaces the inspector by a re-draw anyone can replay (algorithm step 8, in the kit)."""

    State = RecusalState

    draw = models.ForeignKey(Draw, verbose_name=_("抽取"), on_delete=models.PROTECT, related_name="recusals")
    task = models.ForeignKey(Task, verbose_name=_("检查任务"), on_delete=models.PROTECT, related_name="recusals")
    entity = models.ForeignKey("orgs.Entity", verbose_name=_("执法主体"), on_delete=models.PROTECT, related_name="+")
    officer = models.ForeignKey("orgs.Officer", verbose_name=_("申请回避的检查人员"), on_delete=models.PROTECT,
                                related_name="+")
    reason = models.CharField(_("回避理由"), max_length=300)
    state = models.CharField(_("状态"), max_length=10, choices=RecusalState.choices, default=RecusalState.PENDING)
    declared_by = models.ForeignKey(USER, verbose_name=_("申报人"), on_delete=models.PROTECT, related_name="+")
    declared_on = models.DateField(_("申报日期"))
    decided_by = models.ForeignKey(USER, verbose_name=_("决定人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    index = models.PositiveIntegerField(_("回避替换序号"), null=True, blank=True)
    replacement = models.ForeignKey("orgs.Officer", verbose_name=_("重新抽取的检查人员"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")

    objects = RestrictedManager()
    scope_entity_path = "entity"
    # 回避 is decided by the agency's head (Art. 43) or the unit head who plans the inspections.
    scope_rules = {"change": {Role.UNIT_HEAD: ENTITY, Role.AGENCY_HEAD: ENTITY, Role.OFFICER: ENTITY}}

    class Meta:
        ordering = ["draw_id", "id"]
        verbose_name = _("检查人员回避")
        verbose_name_plural = _("检查人员回避")

    def __str__(self):
        return f"{self.officer} 回避 {self.task.object_name}"

    def replay_row(self) -> dict:
        """The recusal as the kit lists it (algorithm.replay_recusals)."""
        return {"index": self.index, "key": self.task.object_key, "officer": self.officer_id,
                "on": self.decided_on.isoformat() if self.decided_on else None, "replacement": self.replacement_id}
