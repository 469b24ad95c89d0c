"""`zhifa calendar …`: the legal working calendar from the command line.

    zhifa calendar parse-notice FILE [--json] [--year Y]   parse a pasted notice, save nothing
    zhifa calendar import-notice FILE [--yes] [--replace] [--user NAME]
    zhifa calendar status

FILE is a UTF-8 or GBK text file with the notice as published, or `-` for standard input.
Problems end with one Chinese line on stderr and exit status 1 (CommandError).
"""
from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, TextIO

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from zhifa.common.actions import ActionRefused
from zhifa.common.roles import Role
from zhifa.legalcal import notice as notice_mod
from zhifa.legalcal import pending
from zhifa.legalcal.models import CalendarYear

if TYPE_CHECKING:
    from zhifa.orgs.models import User as StaffUser

DEFAULT_NOTICE = "国务院办公厅放假安排通知"


def ranges(days: Iterable[tuple[dt.date, str]]) -> list[str]:
    """[(date, name)] → ['2025-10-01~2025-10-08 国庆节、中秋节', …] (consecutive same-name days joined)."""
    out: list[list[Any]] = []
    for d, name in days:
        if out and out[-1][2] == name and (d - out[-1][1]).days == 1:
            out[-1][1] = d
        else:
            out.append([d, d, name])
    return [f"{a:%Y-%m-%d}" + (f"~{b:%Y-%m-%d}" if b != a else "") + (f" {n}" if n else "") for a, b, n in out]


def summary_lines(n: notice_mod.Notice) -> list[str]:
    hol, work = n.in_year()
    lines = [f"{n.year}年放假安排" + (f"：{n.title}" if n.title else "")]
    lines.append(f"放假日（{len(n.holidays)}天）：")
    lines += [f"  {r}" for r in ranges(n.holidays)]
    lines.append(f"调休上班日（{len(n.workdays)}天）：" + ("" if n.workdays else "无"))
    lines += [f"  {r}" for r in ranges(n.workdays)]
    outside = n.outside_year
    if outside:
        lines.append(f"以下{len(outside)}天不在{n.year}年内，录入{n.year}年时不保存（属相邻年度的安排）："
                     + "、".join(f"{d:%Y-%m-%d}" for d, _n, _k in outside))
    return lines


class Command(BaseCommand):
    help = "法定工作日历：解析、录入国务院办公厅放假安排通知，查看各年度状态"
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{parse-notice,import-notice,status}")
        p = sub.add_parser("parse-notice", help="解析通知原文并显示结果（不保存）")
        p.add_argument("file", help="通知原文文件（UTF-8 或 GBK），- 表示标准输入")
        p.add_argument("--json", action="store_true", help="以 JSON 输出")
        p.add_argument("--year", type=int, help="核对通知的年度")
        p = sub.add_parser("import-notice", help="解析通知原文并录入该年度")
        p.add_argument("file", help="通知原文文件（UTF-8 或 GBK），- 表示标准输入")
        p.add_argument("--year", type=int, help="核对通知的年度")
        p.add_argument("--yes", action="store_true", help="不询问，直接录入")
        p.add_argument("--replace", action="store_true", help="该年度已由 chinesecalendar 数据包载入时，以通知替换")
        p.add_argument("--user", help="录入人用户名（默认：第一个有效的系统管理员）")
        sub.add_parser("status", help="列出已载入的年度和待定期限")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            if action == "status":
                return self.status()
            text = self.read(options["file"], options.get("stdin"))
            parsed = notice_mod.parse_notice(text, options.get("year"))
            if action == "parse-notice":
                return self.show(parsed, options["json"])
            return self.import_notice(parsed, text, options)
        except ActionRefused as e:
            message = e.message
            if e.rule == "calendar.replace_required":  # the web form's checkbox is --replace here
                message = message.split("；")[0] + "；如确需以该通知替换，请加 --replace 参数"
            raise CommandError(" ".join(message.split())) from None

    # ---- helpers ---------------------------------------------------------------------------------
    def read(self, path: str, stdin: TextIO | None = None) -> str:
        if path == "-":
            stream = stdin or sys.stdin
            data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read()
        else:
            try:
                with open(path, "rb") as f:
                    data = f.read()
            except FileNotFoundError:
                raise CommandError(f"找不到文件：{path}") from None
            except OSError as e:
                raise CommandError(f"无法读取文件{path}：{e.strerror}") from None
        return data if isinstance(data, str) else notice_mod.decode(data)

    def show(self, parsed: notice_mod.Notice, as_json: bool) -> None:
        if as_json:
            self.stdout.write(json.dumps({
                "year": parsed.year,
                "holidays": [f"{d:%Y-%m-%d}" for d, _n in parsed.holidays],
                "workdays": [f"{d:%Y-%m-%d}" for d, _n in parsed.workdays]}, ensure_ascii=False))
            return
        for line in summary_lines(parsed):
            self.stdout.write(line)

    def acting_user(self, username: str | None) -> StaffUser:
        User = get_user_model()
        if username:
            user: StaffUser | None = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"用户不存在：{username}")
            if not user.is_active:
                raise CommandError(f"用户{username}已停用")
            return user
        user = (User.objects.filter(is_active=True).filter(Q(is_superuser=True) | Q(role=Role.ADMIN))
                .order_by("pk").first())
        if user is None:
            raise CommandError("没有可用的系统管理员账号：请先创建系统管理员，或用 --user 指定录入人")
        return user

    def import_notice(self, parsed: notice_mod.Notice, text: str, options: dict[str, Any]) -> None:
        from zhifa.legalcal.actions import do_enter_calendar_year

        user = self.acting_user(options.get("user"))
        for line in summary_lines(parsed):
            self.stdout.write(line)
        existing = CalendarYear.objects.filter(year=parsed.year).first()
        if existing is not None:
            self.stdout.write(f"{parsed.year}年已有安排（{existing.get_source_display()}，{existing.notice}），"
                              f"录入将替换之")
        if not options["yes"]:
            self.stdout.flush()
            answer = self.ask(f"确认以{user.username}的名义录入{parsed.year}年的放假安排？(y/N) ")
            if answer.strip().lower() not in ("y", "yes", "是"):
                self.stdout.write("已取消，未保存")
                return
        before = pending.by_year().get(parsed.year, 0)
        holidays, workdays = parsed.in_year()
        do_enter_calendar_year(parsed.year, holidays, workdays, parsed.title or DEFAULT_NOTICE,
                               acting_user=user, replace=options["replace"], confirmed=True,
                               source_text=text.strip())
        after = pending.by_year().get(parsed.year, 0)
        self.stdout.write(f"已录入{parsed.year}年放假安排：放假日{len(holidays)}天，调休上班日{len(workdays)}天")
        self.stdout.write(f"已计算待定期限{max(before - after, 0)}个" + (f"，仍待定{after}个" if after else ""))

    def ask(self, prompt: str) -> str:
        try:
            return input(prompt)
        except EOFError:
            return ""

    def status(self) -> None:
        rows = list(CalendarYear.objects.select_related("entered_by").order_by("year"))
        by_year = pending.by_year()
        self.stdout.write("年度\t数据来源\t通知\t录入人\t待定期限")
        for cy in rows:
            source = "数据包" if cy.source == CalendarYear.Source.PACKAGE else "管理员录入"
            self.stdout.write(f"{cy.year}年\t{source}\t{cy.notice}\t{cy.entered_by_name}\t{by_year.get(cy.year, 0)}")
        known = {cy.year for cy in rows}
        titles = pending.titles()
        waiting = {y: n for y, n in by_year.items() if n}
        if waiting:
            self.stdout.write("待定期限（等待录入该年度节假日安排）：")
            per_kind = pending.by_kind()
            for year, n in waiting.items():
                parts = [f"{titles.get(k, k)}{c[year]}个" for k, c in per_kind.items() if c.get(year)]
                self.stdout.write(f"  {year}年：{n}个（{'，'.join(parts)}）")
        else:
            self.stdout.write("没有待定期限")
        from django.utils import timezone

        next_year = timezone.localdate().year + 1
        if next_year not in known:
            self.stdout.write(f"{next_year}年法定节假日安排尚未录入：国务院办公厅发布通知后，"
                              f"请运行 zhifa calendar import-notice 通知.txt 录入")
