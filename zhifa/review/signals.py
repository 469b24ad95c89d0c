"""When a case reaches 拟处理意见 / 已事先告知 / 听证, the catalogue is evaluated; a newly major case is
flagged (MajorFlag, with the catalogue version) and its people notified (in the same transaction)."""
from django.db.models.signals import post_save
from django.dispatch import receiver

from zhifa.cases.models import CaseEvent

EVALUATE_AT = ("proposed", "notified", "hearing")


@receiver(post_save, sender=CaseEvent, dispatch_uid="review-evaluate-major")
def evaluate_on_event(sender, instance, created, **kwargs):
    if created and instance.to_state in EVALUATE_AT and instance.case.kind == "penalty_general":
        from zhifa.review.actions import evaluate_major

        evaluate_major(instance.case)
