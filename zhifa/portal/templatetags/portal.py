"""The public site's navigation and footer, for portal/base.html."""
from __future__ import annotations

import re

from django import template
from django.urls import reverse

from zhifa.common import site_info
from zhifa.common.registry import PortalLink, portal_pages

register = template.Library()

HOME = PortalLink("综合信息", "gs-home", "home", order=0)


def links() -> list[PortalLink]:
    """Every app's navigation entries, by order, after the home page."""
    return [HOME, *sorted((link for pages in portal_pages.values() for link in pages.nav), key=lambda link: link.order)]


@register.inclusion_tag("portal/_nav.html", takes_context=True)
def portal_nav(context):
    current = context.get("module")
    return {"links": [{"href": reverse(link.url_name), "label": link.label, "on": link.module == current}
                      for link in links()]}


@register.inclusion_tag("portal/_footer.html")
def portal_footer():
    """The government-site footer from settings (zhifa.common.site_info). The ledger's tree head is
    no longer here: it is on the ledger heads page (/gs/ledger/heads/), linked from the footer."""
    phone = site_info.info()["supervision_phone"]
    return {"rows": site_info.footer_rows(), "tel": re.sub(r"[^0-9+]", "", phone)}
