"""The schéma's documents: the texts typed for the document (editorial, issues), a request to
write the schéma, an annual review or a territory fiche in the chosen formats (written in the
background, the page showing the progress), and the list of downloads with their dates and the
data used."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from sdsf.web.apps.accounts.permissions import READ, STEER, require
from sdsf.web.apps.actionplan.history import edits
from sdsf.web.apps.documents.models import DocumentJob
from sdsf.web.apps.documents.services import (
    FORMAT_LABELS,
    MIME,
    DocumentError,
    job_file,
    recent_jobs,
    request_document,
)
from sdsf.web.apps.schemes import services
from sdsf.web.www import schema_forms as f
from sdsf.web.www.common import (
    conflict_of,
    departement_or_404,
    form_problems,
    post_form,
    rights,
    scheme_or_404,
)


def documents_page(request: HttpRequest, code: str) -> HttpResponse:
    dep = departement_or_404(code)
    require(request.user, READ, code)
    scheme = scheme_or_404(code)
    op = request.POST.get("op") if request.method == "POST" else None
    texts = f.TextsForm(
        request.POST if op == "textes" else None,
        initial={
            "editorial": scheme.editorial,
            "issues": scheme.issues,
            "revision": scheme.revision,
        },
        prefix="textes",
    )
    if op == "textes" and post_form(
        request,
        texts,
        lambda d: services.update_texts(
            request.user, scheme, d["editorial"], d["issues"], d["revision"]
        ),
        "Textes du schéma enregistrés : ils figureront dans le prochain document produit.",
        (STEER, code),
        shown_on_page=True,
    ):
        return redirect("schema_documents", code)
    conflict = conflict_of(request) if op == "textes" else None
    if conflict is not None:
        scheme.refresh_from_db()
        texts.at_revision(scheme.revision)  # your texts stay in the form, to merge
    form = f.DocumentForm(
        request.POST if op == "produire" else None,
        initial={"kind": DocumentJob.SCHEMA, "year": timezone.localdate().year},
    )
    if op == "produire":
        if form.is_valid():
            data = form.cleaned_data
            try:
                request_document(
                    request.user,
                    code,
                    data["kind"],
                    data["formats"],
                    year=data["year"],
                    territory=(data["territory"] or "").strip(),
                )
            except DocumentError as exc:
                messages.error(request, f"Aucun document lancé : {exc}.")
            else:
                messages.success(
                    request, "Document demandé : il s'écrit en arrière-plan (suivi ci-dessous)."
                )
                return redirect("schema_documents", code)
        else:
            messages.error(request, f"Aucun document lancé. {form_problems(form)}")
    jobs = recent_jobs(code)
    context = {
        "title": f"Documents du schéma — {dep.name}",
        "dep": dep,
        "scheme": scheme,
        "texts_form": texts,
        "form": form,
        "jobs": jobs,
        "running": any(j.active for j in jobs),
        "conflict": conflict,
        "history": edits(scheme),
        "labels": FORMAT_LABELS,
    }
    return render(request, "www/schema_documents.html", context | rights(request.user, code))


def document_file(request: HttpRequest, code: str, job: int, fmt: str) -> FileResponse:
    require(request.user, READ, code)
    found = get_object_or_404(DocumentJob, pk=job, departement=code)
    path = job_file(found, fmt)
    if path is None or found.status != DocumentJob.DONE:
        raise Http404("Fichier introuvable")
    return FileResponse(
        path.open("rb"),
        as_attachment=fmt != "html",
        filename=path.name,
        content_type=MIME[fmt],
    )
