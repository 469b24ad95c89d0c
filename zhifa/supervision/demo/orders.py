"""Demo 督办 and 执法监督建议书 with their documents, made through the actions: alerts computed for today,
the city supervisor orders the demo entity to act on its oldest live alert (督办通知书, replied to by the
agency head), and the county supervisor sends an 执法监督建议书 (awaiting the reply)."""
from __future__ import annotations

from django.utils import timezone

from zhifa.supervision.actions import orders as order_actions
from zhifa.supervision.alerts import recompute_alerts
from zhifa.supervision.models import Alert


def seed_demo_orders(entity, *, users, log=None):
    log = log or (lambda msg: None)
    city, county, head = users.get("citysupervisor"), users.get("supervisor"), users.get("head")
    if city is None or county is None or head is None:
        log("  orders: 缺少监督或负责人演示账号，未生成督办")
        return []
    today = timezone.localdate()
    recompute_alerts(today)
    alert = (Alert.objects.filter(entity=entity, case__isnull=False).exclude(state=Alert.State.CLOSED)
             .order_by("first_seen", "id").first())
    orders = []
    duban = order_actions.do_issue_order(acting_user=city, entity=entity, kind="duban", days=5, alert=alert,
                                         case=alert.case if alert else None,
                                         text=(f"{alert.text}。请依法尽快办理，并说明原因。" if alert else
                                               "请对本单位在办案件的法定期限进行全面排查，逾期案件逐件说明原因。"))
    order_actions.do_reply_order(duban, acting_user=head, text="已组织承办人员逐案排查，涉及案件已于本周内办理完毕，并对承办人员进行了约谈提醒。")
    orders.append(duban)
    orders.append(order_actions.do_issue_order(
        acting_user=county, entity=entity, kind="suggestion", days=20,
        text="建议完善罚款类案件的裁量说理：决定书应写明适用的裁量档次及从轻、从重情节。\n建议每季度开展一次案卷自查。"))
    log(f"  orders: 督办通知书 {duban.number}（已答复）、执法监督建议书 {orders[-1].number}")
    return orders
