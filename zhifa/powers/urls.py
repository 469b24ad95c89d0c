from zhifa.powers.views import CRUDS, version_urls

urlpatterns = [u for c in CRUDS for u in [*c.urls(), *version_urls(c)]]
