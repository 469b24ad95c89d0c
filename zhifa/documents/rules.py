"""The documents app's named rules, registered into the case rules (zhifa.cases.rules.RULES) when
the app is ready; machine.py names where they guard."""
from __future__ import annotations

from zhifa.cases.rules import refuse, rule
from zhifa.documents.archive import label, missing_types


@rule("archive.documents_complete")
def documents_complete(ctx):
    """归档 only with every document the case's path requires on file (卷内文书齐全)."""
    missing = missing_types(ctx.case)
    if missing:
        refuse("archive.documents_complete",
               f"卷内文书不全，不能归档：尚未生成{'、'.join('《' + label(t) + '》' for t in missing)}。"
               "请在“文书”中生成（或点击“补齐归档文书”）后再归档", "documents")
