from eiso.procedures import views

app_name = "procedures"

urlpatterns = views.urlpatterns
