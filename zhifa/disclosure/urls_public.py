from django.urls import path

from zhifa.disclosure import views_public as v

urlpatterns = [
    path("", v.home, name="gs-home"),
    path("entities/", v.entities, name="gs-entities"),
    path("officers/", v.officers, name="gs-officers"),
    path("powers/", v.powers, name="gs-powers"),
    path("results/", v.results, name="gs-results"),
    path("results/<int:pk>/", v.decision, name="gs-decision"),
    path("results/<int:pk>/proof.json", v.decision_proof, name="gs-decision-proof"),
    path("progress/", v.progress, name="gs-progress"),
    path("contact/", v.contact, name="gs-contact"),
    path("cert/", v.certificate, name="gs-cert"),
    path("cert/<str:number>/", v.certificate, name="gs-cert-number"),
]
