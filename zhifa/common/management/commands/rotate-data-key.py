"""`zhifa rotate-data-key`: re-encrypt personal data under the current data key (docs/deploy.md).

Put a new key first in ZHIFA_DATA_KEY_FILE (`zhifa rotate-data-key --new-key-line` prints one), keep
the old keys after it, restart the application, then run this: every row whose ciphertext names
another key (or is not yet encrypted) is re-encrypted with the current key and its blind indexes are
recomputed, in batches of --batch rows, each its own transaction; a change-log row (with the new keyed
digests) is written for each row of a change-logged model, so `zhifa verify` keeps comparing rows with
their log once the old key is gone. Interrupted, it resumes where it stopped when run again. When it
reports nothing left under an old key, the old lines may be removed from the key file.
"""
from __future__ import annotations

import time

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError

from zhifa.common import datakeys
from zhifa.common.actions import bulk_log_created
from zhifa.common.dataencrypt import BATCH, models_with_personal_data, pending, reencrypt
from zhifa.common.fields import encrypted_fields
from zhifa.common.models import ChangeLog

REASON = "轮换个人信息加密密钥（zhifa rotate-data-key）"


class Command(BaseCommand):
    help = "以当前数据密钥重新加密全部个人信息并重算盲索引（可中断后续跑）"

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, default=BATCH, help="每批行数（每批一个事务）")
        parser.add_argument("--new-key-line", action="store_true",
                            help="只输出一行新密钥（置于密钥文件首行），不改动数据")
        parser.add_argument("--dry-run", action="store_true", help="只统计待轮换的行数")

    def handle(self, *args, batch, new_key_line, dry_run, **options):
        if new_key_line:
            self.stdout.write(datakeys.new_key_line())
            return
        if batch < 1:
            raise CommandError("--batch 须为正整数")
        datakeys.clear_cache()
        try:
            current = datakeys.current()
        except datakeys.DataKeyError as e:
            raise CommandError(str(e)) from e
        total, t0 = 0, time.perf_counter()
        for model in models_with_personal_data():
            label = f"{model._meta.label_lower}（{model._meta.verbose_name}）"
            if dry_run:
                n = pending(model, current.kid).count()
                if n:
                    self.stdout.write(f"{label}：{n} 行待轮换")
                total += n
                continue
            logged = self._logged(model)
            done = 0
            for n in reencrypt(model, current.kid, batch=batch,
                               after_batch=(lambda objs: bulk_log_created(objs, acting_user=None, action=ChangeLog.Action.UPDATE,
                                                                          reason=REASON)) if logged else None):
                done += n
                self.stdout.write(f"{label}：已重新加密 {done} 行")
            total += done
        if dry_run:
            self.stdout.write(f"共 {total} 行待以密钥 {current.kid} 重新加密")
            return
        self.stdout.write(f"完成：{total} 行已以密钥 {current.kid} 重新加密并重算盲索引，用时 "
                          f"{time.perf_counter() - t0:.1f} 秒；不再有行使用旧密钥，旧密钥可从 ZHIFA_DATA_KEY_FILE 中删除")

    @staticmethod
    def _logged(model) -> bool:
        """Change-logged, with an encrypted field in its snapshots: the rotation is logged too."""
        exclude = set(getattr(model, "changelog_exclude", ()))
        if not [f for f in encrypted_fields(model) if f.name not in exclude]:
            return False
        ct = ContentType.objects.get_for_model(model)
        return ChangeLog.objects.filter(content_type=ct).exists()
