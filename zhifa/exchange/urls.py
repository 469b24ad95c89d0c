from django.urls import path

from zhifa.exchange.views import bank, staff

urlpatterns = [
    path("", staff.home, name="exchange-home"),
    path("build/", staff.build, name="exchange-build"),
    path("import/", staff.import_list, name="exchange-import"),
    path("batch/<int:pk>/", staff.batch_detail, name="exchange-batch"),
    path("batch/<int:pk>/files/<str:name>", staff.batch_file, name="exchange-batch-file"),
    path("batch/<int:pk>/accept/", staff.accept, name="exchange-accept"),
    path("bank/notice/", bank.payment_notice, name="exchange-payment-notice"),
]
