"""Atom feed of new publications (/gs/feed.atom, optionally ?entity=<id>): the latest published
decisions from public.published(), so withdrawn and expired entries leave the feed too."""
from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from zhifa.disclosure import public
from zhifa.orgs.models import Entity

LIMIT = 50


class PublicationFeed(Feed):
    feed_type = Atom1Feed
    link = "/gs/results/"

    def get_object(self, request, *args, **kwargs):
        raw = request.GET.get("entity", "")
        if raw.isdigit() and int(raw) < 2**63:
            return Entity.objects.filter(pk=int(raw), is_active=True).first()
        return None

    def title(self, obj):
        return f"{obj.name} · 执法结果公示" if obj else "行政执法公示平台 · 执法结果公示"

    def subtitle(self, obj):
        return "新公示的行政执法决定（已脱敏）；撤下或停止公示的信息不再出现。"

    def feed_url(self, obj):
        return f"/gs/feed.atom?entity={obj.pk}" if obj else "/gs/feed.atom"

    def items(self, obj):
        qs = public.published()
        if obj is not None:
            qs = qs.filter(entity=obj)
        return qs.order_by("-published_at", "-id")[:LIMIT]

    def item_title(self, pub):
        return pub.public_title

    def item_description(self, pub):
        body = pub.public_body
        return body[:300] + ("…" if len(body) > 300 else "")

    def item_link(self, pub):
        return f"/gs/results/{pub.pk}/"

    def item_author_name(self, pub):
        return pub.entity.name

    def item_categories(self, pub):
        return [c for c in (pub.get_kind_display(), pub.category) if c]

    def item_pubdate(self, pub):
        return pub.published_at or timezone.make_aware(dt.datetime.combine(pub.published_on, dt.time()))

    def item_updateddate(self, pub):
        return self.item_pubdate(pub)
