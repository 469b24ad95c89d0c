"""`zhifa import-recorder PATH --case N --user NAME --collector OFFICER_ID [--collector …]`: import a
folder or a .zip of body-worn recorder files (执法记录仪) into a case's records, capture times kept,
files already imported skipped (zhifa/records/recorder.py)."""
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from zhifa.common.actions import ActionRefused


class Command(BaseCommand):
    help = "导入执法记录仪文件（文件夹或.zip，含同名.json元数据）到案件的证据与记录，保留采集时间；已导入的文件自动跳过"

    def add_arguments(self, parser):
        parser.add_argument("path", help="记录仪文件所在的文件夹或.zip压缩包")
        parser.add_argument("--case", required=True, help="案件ID或案件编号")
        parser.add_argument("--user", required=True, help="导入人的用户名（本案承办人员）")
        parser.add_argument("--collector", action="append", required=True, type=int,
                            help="采集人（执法人员ID），可重复")
        parser.add_argument("--step", default="", help="所记录的环节")
        parser.add_argument("--device", default="", help="记录仪编号（元数据中没有时使用）")

    def handle(self, *args, path, case, user, collector, step, device, **options):
        from zhifa.cases.models import Case
        from zhifa.orgs.models import Officer
        from zhifa.records.recorder import do_import_recorder

        row = (Case.objects.filter(pk=int(case)).first() if case.isdigit() else None) \
            or Case.objects.filter(number=case).first()
        if row is None:
            raise CommandError(f"案件不存在：{case}")
        acting = get_user_model().objects.filter(username=user, is_active=True).first()
        if acting is None:
            raise CommandError(f"用户不存在或已停用：{user}")
        officers = list(Officer.objects.filter(pk__in=collector))
        if len(officers) != len(set(collector)):
            raise CommandError("采集人（执法人员ID）有误")
        try:
            result = do_import_recorder(row, path, acting_user=acting, collectors=officers, step=step, device=device)
        except ActionRefused as e:
            raise CommandError(f"{e.message}（{e.rule}）") from None
        for item in result.added:
            v = item.current
            self.stdout.write(f"+ {v.filename}  采集时间 {v.captured_at:%Y-%m-%d %H:%M:%S}"
                              f"（来自{getattr(item, 'import_time_source', '')}）")
        for name, why in result.skipped:
            self.stdout.write(f"= {name}  {why}")
        for name, message in result.errors:
            self.stderr.write(f"! {name}  {message}")
        self.stdout.write(result.summary())
