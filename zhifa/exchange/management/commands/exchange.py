"""`zhifa exchange batch --date D --out DIR`: build the exchange batch of day D (every change up to the
end of that day not in an earlier batch) and write its files under DIR/<批次号>/;
`zhifa exchange batch --feed provincial …`: the same for the provincial platform's table family;
`zhifa exchange accept BATCH FILE`: import the receiving system's acceptance file;
`zhifa exchange import KIND FILE --user NAME [--preview]`: import a province's list (entities, officers,
powers) or the credit-risk results of inspection objects (credit_risk); CSV, .xlsx or JSON (docs/exchange.md)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhifa.common.actions import ActionRefused
from zhifa.exchange.actions.batches import do_build_batch, do_import_acceptance, files, reconciliation
from zhifa.exchange.actions.imports import do_import_list
from zhifa.exchange.choices import Feed
from zhifa.exchange.models import Batch, ListImport


class Command(BaseCommand):
    help = "数据交换：生成互联网+监管/双公示及省级平台交换批次，导入接收回执，导入省级清单和信用风险分类结果"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="sub", required=True)
        batch = sub.add_parser("batch", help="生成某日的增量交换批次并写出文件")
        batch.add_argument("--date", required=True, help="数据日期 YYYY-MM-DD")
        batch.add_argument("--out", required=True, help="输出目录")
        batch.add_argument("--feed", default=Feed.NATIONAL, choices=Feed.values,
                           help="交换对象：national（互联网+监管/双公示，默认）或 provincial（省级平台）")
        accept = sub.add_parser("accept", help="导入接收回执（JSON）")
        accept.add_argument("batch", help="批次号")
        accept.add_argument("file", help="回执文件")
        imp = sub.add_parser("import", help="导入省级清单或信用风险分类结果（CSV、xlsx、JSON）")
        imp.add_argument("kind", choices=ListImport.Kind.values, help="entities 执法主体 / officers 执法人员 / "
                                                                      "powers 执法事项 / credit_risk 信用风险分类")
        imp.add_argument("file", help="清单文件")
        imp.add_argument("--user", required=True, help="以该系统管理员或执法监督人员的账号导入（用户名）")
        imp.add_argument("--preview", action="store_true", help="只校验和预览，不写入")

    def handle(self, *args, **opts):
        try:
            if opts["sub"] == "batch":
                self._batch(opts)
            elif opts["sub"] == "import":
                self._import(opts)
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
        batch = do_build_batch(day, acting_user=None, feed=opts["feed"])
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

    def _import(self, opts):
        from zhifa.orgs.models import User

        user = User.objects.filter(username=opts["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"--user：账号“{opts['user']}”不存在或已停用")
        path = Path(opts["file"])
        try:
            data = path.read_bytes()
        except OSError as e:
            raise CommandError(f"无法读取清单文件 {path}：{e}") from e
        result = do_import_list(opts["kind"], data, path.name, acting_user=user, preview=opts["preview"])
        if result.errors:
            lines = [f"第{row}行 {message}" for row, message in result.errors]
            raise CommandError(f"{len(result.errors)}处错误，未写入：\n" + "\n".join(lines[:50]))
        for o in result.outcomes:
            self.stdout.write(f"  第{o.row}行 {o.key}：{o.action}（{o.detail}）")
        counts = "，".join(f"{a}{result.count(a)}" for a in ("新增", "更新", "未变化", "未匹配"))
        self.stdout.write(f"{'预览（未写入）' if opts['preview'] else '已导入'}：{result.rows}行，{counts}")
