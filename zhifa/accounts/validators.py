"""Password rules beyond Django's own (settings.AUTH_PASSWORD_VALIDATORS): character classes and
history. Django calls `password_changed` on every validator after each set_password + save, by any
path (the change page, the admin, a command): that is where the history and the password age are
kept and the owner's API tokens are revoked."""
from __future__ import annotations

import string

from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = (("小写字母", str.islower), ("大写字母", str.isupper), ("数字", str.isdigit),
           ("符号", lambda c: not c.isalnum()))


class CharacterClassesValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        have = sum(1 for _, test in CLASSES if any(test(c) for c in password))
        if have < self.min_classes:
            raise ValidationError(
                f"密码须包含小写字母、大写字母、数字、符号中的至少{self.min_classes}类（当前{have}类）。",
                code="password_too_simple")

    def get_help_text(self):
        return f"包含小写字母、大写字母、数字、符号（如 {string.punctuation[:6]}）中的至少{self.min_classes}类。"


class PasswordHistoryValidator:
    def __init__(self, history: int = 5):
        self.history = history

    def _recent(self, user):
        from zhifa.accounts.models import PasswordRecord

        return list(PasswordRecord.objects.filter(user=user).values_list("password", flat=True)[:self.history])

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        hashes = self._recent(user)
        if user.password and user.password not in hashes:
            hashes = [user.password, *hashes][:self.history]
        if any(check_password(password, h) for h in hashes if h and not h.startswith("!")):
            raise ValidationError(f"不能与最近{self.history}次使用过的密码相同。", code="password_reused")

    def get_help_text(self):
        return f"不能与最近{self.history}次使用过的密码相同。"

    def password_changed(self, password, user=None):
        if user is not None and user.pk:
            from zhifa.accounts.actions import on_password_changed

            on_password_changed(user, keep=self.history)
