from django.contrib.auth import views as auth_views
from django.urls import path

from sdsf.web.www import diagnostic, fiche, priorites, views

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
    path("departements/<str:code>/diagnostic/", diagnostic.diagnostic_index, name="diagnostic"),
    path(
        "departements/<str:code>/diagnostic/<str:theme>/",
        diagnostic.theme_page,
        name="diagnostic_theme",
    ),
    path(
        "departements/<str:code>/diagnostic/<str:theme>/carte",
        diagnostic.theme_map_view,
        name="diagnostic_carte",
    ),
    path(
        "departements/<str:code>/diagnostic/<str:theme>/export.<str:fmt>",
        diagnostic.theme_export,
        name="diagnostic_export",
    ),
    path("departements/<str:code>/priorites/", priorites.priorites, name="priorites"),
    path(
        "departements/<str:code>/priorites/adapter/", priorites.adapt_page, name="priorites_adapter"
    ),
    path("departements/<str:code>/priorites/carte", priorites.priority_map, name="priorites_carte"),
    path(
        "departements/<str:code>/priorites/export.<str:fmt>",
        priorites.priority_export,
        name="priorites_export",
    ),
    path(
        "departements/<str:code>/priorites/versions/<int:number>/",
        priorites.version_page,
        name="priorites_version",
    ),
    path(
        "departements/<str:code>/priorites/versions/<int:number>/comparer/<int:other>/",
        priorites.compare_page,
        name="priorites_comparer",
    ),
    path("territoires/<str:level>/<str:code>/", fiche.fiche, name="fiche"),
    path(
        "territoires/<str:level>/<str:code>/contour.geojson",
        fiche.contour,
        name="fiche_contour",
    ),
    path(
        "territoires/<str:level>/<str:code>/export.<str:fmt>",
        fiche.fiche_export,
        name="fiche_export",
    ),
    path("donnees/", views.donnees, name="donnees"),
    path("donnees/importer/", views.importer, name="importer"),
    path("donnees/modeles/<str:name>.csv", views.modele, name="modele"),
]
