from zhifa.notify.models.eservice import Consent, Service
from zhifa.notify.models.outbox import Attempt, Message, Preference

__all__ = ["Attempt", "Consent", "Message", "Preference", "Service"]
