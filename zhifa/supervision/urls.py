from django.urls import path

from zhifa.supervision import views

urlpatterns = [
    path("", views.home, name="supervision-home"),
    path("cases/", views.case_list, name="supervision-cases"),
    path("entity/<int:pk>/", views.entity_view, name="supervision-entity"),
    path("alerts/", views.alert_list, name="supervision-alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="supervision-alert"),
    path("orders/", views.order_list, name="supervision-orders"),
    path("orders/new/", views.order_new, name="supervision-order-new"),
    path("orders/<int:pk>/", views.order_detail, name="supervision-order"),
]
