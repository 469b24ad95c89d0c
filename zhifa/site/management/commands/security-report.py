"""`zhifa security-report [--json]`: the 等保 self-check (zhifa/site/selfcheck.py) on the command line."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand

from zhifa.site import selfcheck


class Command(BaseCommand):
    help = "等保自查：GB/T 22239-2019 第三级与 GB/T 39786-2021 条款对应的设置、状态与结论"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出")

    def handle(self, *args, **opts):
        items = selfcheck.report()
        if opts["json"]:
            self.stdout.write(json.dumps({"summary": selfcheck.summary(items), "items": [i.as_dict() for i in items]},
                                         ensure_ascii=False, indent=2))
            return
        for i in items:
            self.stdout.write(f"[{i.status}] {i.standard} {i.clause} {i.area}：{i.requirement}")
            for e in i.evidence:
                self.stdout.write(f"    · {e}")
            if i.deployment:
                self.stdout.write(f"    部署方负责：{i.deployment}")
        self.stdout.write("合计：" + "，".join(f"{k} {v}" for k, v in selfcheck.summary(items).items()))
