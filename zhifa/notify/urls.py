from django.urls import path

from zhifa.notify.views import staff

urlpatterns = [
    path("preferences/", staff.preferences, name="notify-preferences"),
    path("case/<int:pk>/", staff.case_eservice, name="notify-case"),
    path("case/<int:pk>/consent/", staff.record_consent, name="notify-consent"),
    path("case/<int:pk>/consent/<int:consent_pk>/withdraw/", staff.withdraw_consent, name="notify-consent-withdraw"),
    path("case/<int:pk>/send/", staff.send_document, name="notify-send"),
]
