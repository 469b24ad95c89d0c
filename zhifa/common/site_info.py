"""What the public site says about itself (the footer a government site carries, and the 监督投诉电话
the contact page repeats), read from settings (ZHIFA_SITE_* and ZHIFA_SUPERVISION_PHONE)."""
from __future__ import annotations

from django.conf import settings

FIELDS = (("sponsor", "ZHIFA_SITE_SPONSOR", "主办单位"), ("organizer", "ZHIFA_SITE_ORGANIZER", "承办单位"),
          ("site_id", "ZHIFA_SITE_ID", "网站标识码"), ("icp", "ZHIFA_SITE_ICP", "ICP备案号"),
          ("psb", "ZHIFA_SITE_PSB", "公安备案号"), ("supervision_phone", "ZHIFA_SUPERVISION_PHONE", "监督投诉电话"))


def info() -> dict:
    return {key: str(getattr(settings, name, "") or "").strip() for key, name, _label in FIELDS}


def footer_rows() -> list[tuple[str, str, str]]:
    """(key, label, value) of every item that is set, in the usual order of a government footer."""
    values = info()
    return [(key, label, values[key]) for key, _name, label in FIELDS if values[key]]
