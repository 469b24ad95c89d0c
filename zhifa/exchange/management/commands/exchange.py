"""`zhifa exchange batch --date D --out DIR`: build the exchange batch of day D (every change up to the
end of that day not in an earlier batch) and write its files under DIR/<批次号>/;
`zhifa exchange accept BATCH FILE`: import the receiving system's acceptance file."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.common.actions import ActionRefused
from zhifa.exchange.actions.batches import do_build_batch, do_import_acceptance, files, reconciliation
from zhifa.exchange.models import Batch


class Command(BaseCommand):
    help = "数据交换：生成互联网+监管/双公示交换批次，导入接收回执"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        batch = sub.add_parser("batch", help="生成某日的增量交换批次并写出文件")
        batch.add_argument("--date", required=True, help="数据日期 YYYY-MM-DD")
        batch.add_argument("--out", required=True, help="输出目录")
        accept = sub.add_parser("accept", help="导入接收回执（JSON）")
        accept.add_argument("batch", help="批次号")
        accept.add_argument("file", help="回执文件")

    def handle(self, *args, **opts):
        try:
            if opts["sub"] == "batch":
                self._batch(opts)
            else:
                self._accept(opts)
        except ActionRefused as e:
            raise CommandError(e.message) from e

    def _batch(self, opts):
        try:
            day = dt.date.fromisoformat(opts["date"])
        except ValueError:
            raise CommandError(f"--date：日期“{opts['date']}”格式应为YYYY-MM-DD") from None
        out = Path(opts["out"])
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise CommandError(f"--out：无法创建目录 {out}：{e}") from e
        batch = do_build_batch(day, acting_user=None)
        folder = out / batch.number
        folder.mkdir(exist_ok=True)
        for name, data in files(batch).items():
            (folder / name).write_bytes(data)
        self._report(batch)
        self.stdout.write(f"已写出：{folder}")

    def _accept(self, opts):
        batch = Batch.objects.filter(number=opts["batch"]).first()
        if batch is None:
            raise CommandError(f"批次号“{opts['batch']}”不存在")
        try:
            data = Path(opts["file"]).read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取回执文件 {opts['file']}：{e}") from e
        self._report(do_import_acceptance(batch, data, acting_user=None))

    def _report(self, batch):
        self.stdout.write(f"批次 {batch.number}（{batch.day:%Y-%m-%d}）")
        for r in reconciliation(batch):
            self.stdout.write(f"  {r['label']}：发送{r['sent']}，接收{r['accepted']}，退回{r['rejected']}，"
                              f"待回执{r['awaiting']}，校验未通过{r['refused']}")
