"""zhifa discretion load-laws | reindex — the shipped law texts into the law library; the similar-case
profiles and index rebuilt (saved under DATA_DIR/discretion/index/ for every process to load)."""
from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError

from zhifa.common.actions import ActionRefused


class Command(BaseCommand):
    help = "裁量辅助：load-laws 载入随系统发布的法律法规文本；reindex 重建类案索引"

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["load-laws", "reindex"])
        parser.add_argument("--profiles", action="store_true", help="reindex：先重新生成全部已决案件画像")

    def handle(self, *args, what, profiles=False, **opts):
        from zhifa.orgs.models import User

        if what == "load-laws":
            admin = User.objects.filter(is_superuser=True, is_active=True).order_by("id").first()
            if admin is None:
                raise CommandError("没有可用的系统管理员账号，请先创建（zhifa createsuperuser）")
            from zhifa.discretion.actions.laws import load_shipped

            try:
                loaded = load_shipped(acting_user=admin)
            except ActionRefused as e:
                raise CommandError(e.message) from None
            self.stdout.write(f"已载入{len(loaded)}部法律法规" + ("：" + "、".join(str(x) for x in loaded) if loaded else "（均已载入）"))
            return
        from zhifa.discretion import similar

        if profiles:
            from zhifa.cases.models import Case

            n = 0
            for case in Case.objects.filter(decided_on__isnull=False).select_related("entity__region").iterator():
                similar.profile_case(case)
                n += 1
            self.stdout.write(f"已生成{n}件已决案件画像")
        t = time.perf_counter()
        idx = similar.SimilarIndex.build()
        idx.save(similar.index_dir())
        similar.reset()
        self.stdout.write(f"类案索引已重建：{len(idx)}件，用时{time.perf_counter() - t:.1f}秒，保存于{similar.index_dir()}")
