from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


# the one money format (zhifa/common/templatetags/money.py), also under this library's name
from zhifa.common.templatetags.money import yuan  # noqa: E402

register.filter("yuan", yuan)
