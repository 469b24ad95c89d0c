from zhifa.orgs.views import CRUDS

urlpatterns = [u for c in CRUDS for u in c.urls()]
