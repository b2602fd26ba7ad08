from django.contrib.auth import views as auth_views
from django.urls import path

from sdsf.web.www import views

urlpatterns = [
    path("", views.landing, name="accueil"),
    path("methode/", views.methode, name="methode"),
    path(
        "connexion/",
        auth_views.LoginView.as_view(extra_context={"title": "Connexion"}),
        name="login",
    ),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("departements/", views.departements, name="departements"),
    path("departements/aller/", views.go_departement, name="go_departement"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("departements/<str:code>/carte.geojson", views.carte, name="carte"),
    path("departements/<str:code>/export.<str:fmt>", views.export, name="export"),
    path("departements/<str:code>/territoires/", views.territoires, name="territoires"),
    path("donnees/", views.donnees, name="donnees"),
    path("donnees/importer/", views.importer, name="importer"),
    path("donnees/modeles/<str:name>.csv", views.modele, name="modele"),
]
