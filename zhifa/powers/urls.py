from zhifa.common.excel_views import excel_urls
from zhifa.powers.excel import POWER_ITEM_EXCEL
from zhifa.powers.views import CRUDS, power_items, version_urls

urlpatterns = [*excel_urls(power_items, POWER_ITEM_EXCEL),
               *(u for c in CRUDS for u in [*c.urls(), *version_urls(c)])]
