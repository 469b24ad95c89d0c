"""`zhifa partition-ledger convert|maintain|status` (PostgreSQL): the ledger entries as a partitioned
table, by ranges of the leaf index (zhifa/ledger/partitions.py; docs/scale.md)."""
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from zhifa.ledger import partitions


class Command(BaseCommand):
    help = ("防篡改日志条目表分区（仅 PostgreSQL）：convert（一次性转换为按序号范围分区的表）| "
            "maintain（每日：预建后续分区，移出默认分区中的条目）| status（查看分区）")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["convert", "maintain", "status"])
        parser.add_argument("--rows", type=int, default=partitions.DEFAULT_ROWS,
                            help=f"convert：每个分区的条目数（默认 {partitions.DEFAULT_ROWS:,}）")
        parser.add_argument("--ahead", type=int, default=1, help="预建的空分区数（默认 1）")

    def handle(self, *args: Any, action: str, rows: int, ahead: int, **opts: Any) -> None:
        try:
            if action == "convert":
                r = partitions.convert(rows_per=rows, ahead=ahead)
                self.stdout.write(f"已转换：{r['rows']} 条，分区 {len(r['partitions'])} 个（每个 {rows:,} 条）+ 默认分区；"
                                  f"校验摘要 {r['digest'][:16]}… 一致")
            elif action == "maintain":
                r = partitions.maintain(ahead=ahead)
                self.stdout.write(f"新建分区 {len(r['created'])} 个，自默认分区移出 {r['moved_from_default']} 条")
            if not partitions.is_partitioned():
                self.stdout.write(f"{partitions.TABLE} 未分区")
                return
            for p in partitions.partitions():
                rng = "DEFAULT" if p.lo is None else f"[{p.lo}, {p.hi})"
                self.stdout.write(f"{p.name}\t{rng}\t{p.rows} 条")
        except partitions.PartitionError as e:
            raise CommandError(str(e))
