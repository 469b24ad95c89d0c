"""Change log of one record: GET /api/v1/changelog/{app_label}.{model}/{pk}, only for a visible record."""
import datetime as dt
from typing import Annotated, Any, Optional

from django.apps import apps
from django.http import Http404
from ninja import Path, Router, Schema
from ninja.pagination import paginate

from zhifa.common.api.base import F, Pagination, actor, get_visible, responses
from zhifa.common.crud import changelog_for
from zhifa.common.roles import may_read_audit_logs

router = Router(tags=["变更记录"])


class DiffOut(Schema):
    field: str = F(..., "字段")
    before: Any = F(None, "修改前")
    after: Any = F(None, "修改后")


class ChangeOut(Schema):
    id: int = F(..., "编号")
    time: dt.datetime = F(..., "时间")
    user_name: str = F(..., "操作人")
    action: str = F(..., "操作", "create/update/delete/submit/confirm/reject/import")
    action_display: str = F(..., "操作名称")
    object_repr: str = F(..., "对象")
    reason: str = F(..., "说明")
    before: Optional[dict] = F(None, "修改前", "修改前的字段值")
    after: Optional[dict] = F(None, "修改后", "修改后的字段值")
    diff: list[DiffOut] = F(..., "变动字段")

    @staticmethod
    def resolve_action_display(obj):
        return obj.get_action_display()

    @staticmethod
    def resolve_diff(obj):
        return [{"field": label, "before": b, "after": a} for label, b, a in obj.diff()]


@router.get("/{label}/{pk}", response=responses(list[ChangeOut]), operation_id="changelog_get",
            summary="记录的变更记录",
            description="label 为“应用.模型”，如 orgs.officer、powers.poweritem；只能查看自己数据范围内记录的变更。")
@paginate(Pagination)
def record_changelog(request, label: Annotated[str, Path(..., title="模型", description="应用.模型，如 orgs.officer")],
                     pk: Annotated[str, Path(..., title="记录编号", description="记录编号")]):
    app_label, _, model_name = label.partition(".")
    try:
        model = apps.get_model(app_label, model_name)
    except (LookupError, ValueError):
        raise Http404 from None
    if not hasattr(model.objects, "restrict"):
        raise Http404
    try:
        model._meta.pk.to_python(pk)
    except Exception:  # noqa: BLE001 - a malformed key names no record
        raise Http404 from None
    obj = get_visible(model, request, pk)
    if not may_read_audit_logs(actor(request)):  # 三员分立: the change log is an audit log
        raise Http404
    return changelog_for(obj, actor(request))
