from django.contrib import admin

from zhifa.common.admin_mixins import LoggedAdmin
from zhifa.powers.models import DiscretionBenchmark, Flowchart, InspectionItem, PowerItem, ServiceGuide

for model in (PowerItem, InspectionItem, ServiceGuide, Flowchart):
    # Status and confirmation are not editable here: they change only through the confirm actions.
    admin.site.register(model, LoggedAdmin, list_display=("__str__", "entity", "version", "status"),
                        list_filter=("status",), raw_id_fields=("entity",),
                        readonly_fields=("status", "version", "confirmed_by", "confirmed_at"))

admin.site.register(DiscretionBenchmark, LoggedAdmin,
                    list_display=("__str__", "entity", "version", "status"), list_filter=("status",),
                    raw_id_fields=("entity",), readonly_fields=("status", "version", "confirmed_by", "confirmed_at"))
