"""Events of other apps that are not case transitions, connected by model (the apps never import
this one): a 督办通知 issued (the entity's heads and the case's handlers), a complaint answered (the
complainant, at the contact they left, if it is an e-mail address or a mobile number)."""
from __future__ import annotations

from django.db.models.signals import post_save

UID = "zhifa.notify"


def order_issued(sender, instance, created, raw=False, **kwargs):
    if not created or raw:
        return
    from zhifa.common.roles import Role
    from zhifa.notify.outbox import post
    from zhifa.orgs.models import User
    from zhifa.review.actions import case_users

    users = list(User.objects.filter(entity_id=instance.entity_id, role=Role.AGENCY_HEAD, is_active=True))
    if instance.case_id:
        users += case_users(instance.case, handlers=True)
    due = f"，请于{instance.due_on:%Y-%m-%d}前办理并答复" if getattr(instance, "due_on", None) else ""
    post(users, "supervision.order", f"收到{instance.get_kind_display()}{instance.number or ''}{due}",
         case=instance.case, dedupe=f"supervision.order:{instance.pk}")


def complaint_step(sender, instance, created, raw=False, **kwargs):
    if not created or raw or instance.kind != "answer":
        return
    from zhifa.notify.outbox import contact_channel, post_to

    c = instance.complaint
    found = contact_channel(c.contact)
    if found is None:
        return
    channel, address = found
    post_to(channel, address, "complaint.answer",
            f"您提交的{c.get_kind_display()}（查询码{c.tracking_code}）已于{instance.on:%Y-%m-%d}答复，"
            "请凭查询码在政务公开平台查看答复内容。", name=c.complainant, subject="投诉举报答复",
            dedupe=f"complaint.answer:{c.pk}")


def connect() -> None:
    post_save.connect(order_issued, sender="supervision.SupervisionOrder", dispatch_uid=f"{UID}.order")
    post_save.connect(complaint_step, sender="disclosure.ComplaintStep", dispatch_uid=f"{UID}.complaint")
