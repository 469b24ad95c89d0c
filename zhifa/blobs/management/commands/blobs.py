"""`zhifa blobs gc [--hours 1] [--upload-hours 24] [--dry-run]`: housekeeping of the evidence store.

Removes stored content that has no Blob row (bytes whose transaction rolled back) once older
than --hours, leftover content of destroyed blobs, stale spool files and unfinished S3
multipart uploads; expires upload sessions untouched for --upload-hours and their partial files.
`zhifa blobs check`: re-hashes every blob against its row (what `zhifa verify` runs).
"""
import datetime as dt

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "证据文件存储维护：gc 清理孤立内容与过期上传；check 重新计算摘要核对"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gc = sub.add_parser("gc", help="清理没有登记记录的文件内容、已销毁文件的残留、过期的分块上传")
        gc.add_argument("--hours", type=float, default=1.0, help="孤立内容至少存在多少小时才清理（默认1）")
        gc.add_argument("--upload-hours", type=float, default=24.0, help="分块上传多少小时未更新即过期（默认24）")
        gc.add_argument("--orphan-hours", type=float, default=None,
                        help="未被任何记录引用的文件存入多少小时后清除（默认 ZHIFA_ORPHAN_BLOB_GRACE_HOURS，24）")
        gc.add_argument("--dry-run", action="store_true", help="只统计，不删除")
        sub.add_parser("check", help="重新读取并计算每个文件的 SHA-256 与 SM3，报告不符")

    def handle(self, *args, action, **opts):
        if action == "gc":
            return self.gc(opts)
        return self.check()

    def gc(self, opts):
        from zhifa.blobs.orphans import collect
        from zhifa.blobs.store import blob_store, gc
        from zhifa.blobs.uploads import gc_uploads

        if opts["hours"] < 0 or opts["upload_hours"] < 0 or (opts["orphan_hours"] or 0) < 0:
            raise CommandError("时间不能为负数")
        uploads = gc_uploads(dt.timedelta(hours=opts["upload_hours"]), dry_run=opts["dry_run"])
        hours = opts["orphan_hours"]
        orphans = collect(None if hours is None else dt.timedelta(hours=hours), dry_run=opts["dry_run"])
        blobs = gc(dt.timedelta(hours=opts["hours"]), dry_run=opts["dry_run"])
        verb = "将清理" if opts["dry_run"] else "已清理"
        self.stdout.write(
            f"{verb}（{blob_store()!r}）：孤立内容 {blobs['orphans']} 个，已销毁文件残留 {blobs['destroyed']} 个，"
            f"临时文件/未完成的分段上传 {blobs['temp']} 个；过期上传会话 {uploads['expired_sessions']} 个，"
            f"上传临时文件 {uploads['files']} 个；未被记录引用的文件 {orphans['orphans_collected']} 个")

    def check(self):
        from zhifa.blobs.checks import check_blobs

        n = 0
        for d in check_blobs():
            n += 1
            self.stdout.write(f"{d.kind}\t{d.where}\t{d.detail}")
        if n:
            raise CommandError(f"发现 {n} 处不符")
        self.stdout.write("文件存储核对无误")
