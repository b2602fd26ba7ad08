"""Partners and accounts: the organisations of a département and their people, invitations,
acceptance of an invitation, the refusal page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables

from sdsf.web.apps.accounts import services
from sdsf.web.apps.accounts.models import Invitation, Organisation, Profile
from sdsf.web.apps.accounts.permissions import READ, STEER, require
from sdsf.web.www import schema_forms as f
from sdsf.web.www.common import departement_or_404, form_problems, rights


def partners(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    op = request.POST.get("op") if request.method == "POST" else None
    organisation = f.OrganisationForm(request.POST if op == "organisation" else None)
    invitation = f.InvitationForm(request.POST if op == "invitation" else None, departement=code)
    if op:
        require(request.user, STEER, code)
        form = {"organisation": organisation, "invitation": invitation}.get(op)
        if form is not None and not form.is_valid():
            messages.error(request, f"Rien n'a été enregistré. {form_problems(form)}")
        try:
            if op == "organisation" and organisation.is_valid():
                services.add_organisation(request.user, code, **organisation.cleaned_data)
                messages.success(request, "Organisation ajoutée.")
                return redirect("schema_partenaires", code)
            if op == "invitation" and invitation.is_valid():
                url = request.build_absolute_uri(reverse("invitation", args=["TOKEN"]))
                sent = services.invite(
                    request.user,
                    invitation.cleaned_data["email"],
                    invitation.cleaned_data["organisation"],
                    invitation.cleaned_data["role"],
                    url.replace("TOKEN", "{token}"),
                )
                messages.success(request, f"Invitation envoyée à {sent.email}.")
                return redirect("schema_partenaires", code)
        except services.AccountError as exc:
            messages.error(request, str(exc)[:1].upper() + str(exc)[1:] + ".")
    organisations = Organisation.objects.filter(departement=code).order_by("name")
    people = (
        Profile.objects.filter(organisation__departement=code)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__last_name")
    )
    context = {
        "title": f"Partenaires — {dep.name}",
        "dep": dep,
        "organisations": organisations,
        "people": people,
        "invitations": Invitation.objects.filter(organisation__departement=code).select_related(
            "organisation"
        ),
        "organisation_form": organisation,
        "invitation_form": invitation,
    }
    return render(request, "www/schema_partenaires.html", context | rights(request.user, code))


@login_not_required
@sensitive_post_parameters("password1", "password2")
@sensitive_variables("form")
def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    form = f.AcceptInvitationForm(request.POST or None)
    error = "" if invitation.usable else "Cette invitation a expiré ou a déjà servi."
    if request.method == "POST" and not error and form.is_valid():
        try:
            user = services.accept(
                invitation,
                form.cleaned_data["first_name"],
                form.cleaned_data["last_name"],
                form.cleaned_data["password1"],
            )
        except services.AccountError as exc:
            error = str(exc)
        else:
            login(request, user, backend="sdsf.web.apps.accounts.backends.EmailBackend")
            messages.success(request, "Bienvenue : votre compte est créé.")
            return redirect("schema", invitation.organisation.departement)
    context = {"title": "Rejoindre le schéma", "invitation": invitation, "form": form}
    return render(request, "registration/invitation.html", context | {"error": error})


def refused(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else "Accès refusé."
    return render(
        request, "www/refus.html", {"title": "Accès refusé", "message": message}, status=403
    )
