from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path

from sdsf.web.www import (
    comptes,
    diagnostic,
    documents,
    fiche,
    imports,
    plan,
    priorites,
    schema,
    views,
)

SCHEMA = "departements/<str:code>/schema/"


def _public(view):  # type: ignore[no-untyped-def]
    return login_not_required(view)


PASSWORD_RESET = [
    path(
        "mot-de-passe/oubli/",
        _public(
            auth_views.PasswordResetView.as_view(
                extra_context={"title": "Mot de passe oublié"},
                email_template_name="registration/reinitialisation_courriel.txt",
                subject_template_name="registration/reinitialisation_objet.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        _public(
            auth_views.PasswordResetDoneView.as_view(extra_context={"title": "Courriel envoyé"})
        ),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        _public(
            auth_views.PasswordResetConfirmView.as_view(
                extra_context={"title": "Nouveau mot de passe"}
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/change/",
        _public(
            auth_views.PasswordResetCompleteView.as_view(
                extra_context={"title": "Mot de passe changé"}
            )
        ),
        name="password_reset_complete",
    ),
]

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
    path(SCHEMA, schema.scheme_home, name="schema"),
    path(SCHEMA + "periode/", schema.period_update, name="schema_periode"),
    path(SCHEMA + "phases/<int:pk>/", schema.phase_update, name="schema_phase"),
    path(SCHEMA + "comite/", schema.committee, name="schema_comite"),
    path(SCHEMA + "comite/<int:pk>/", schema.meeting_page, name="schema_reunion"),
    path(SCHEMA + "concertation/", schema.concertation, name="schema_concertation"),
    path(SCHEMA + "concertation/<int:pk>/reponse/", schema.answer, name="schema_reponse"),
    path(SCHEMA + "signatures/", schema.signatures, name="schema_signatures"),
    path(SCHEMA + "plan/", plan.plan_page, name="schema_plan"),
    path(SCHEMA + "orientations/<int:pk>/", plan.orientation_edit, name="schema_orientation"),
    path(SCHEMA + "actions/<int:pk>/", plan.action_page, name="schema_action"),
    path(SCHEMA + "tableau-de-bord/", schema.dashboard_page, name="schema_tableau"),
    path(SCHEMA + "bilan-<int:year>.xlsx", schema.review_export, name="schema_bilan"),
    path(SCHEMA + "documents/", documents.documents_page, name="schema_documents"),
    path(
        SCHEMA + "documents/<int:job>/<str:fmt>/",
        documents.document_file,
        name="schema_document_file",
    ),
    path(SCHEMA + "partenaires/", comptes.partners, name="schema_partenaires"),
    path("national/", schema.national, name="national"),
    path("invitation/<str:token>/", comptes.accept_invitation, name="invitation"),
    *PASSWORD_RESET,
    path("donnees/", views.donnees, name="donnees"),
    path("donnees/importer/", imports.importer, name="importer"),
    path("donnees/imports/<int:pk>/", imports.import_page, name="import_suivi"),
    path("donnees/modeles/<str:name>.csv", views.modele, name="modele"),
]
