"""Importing a file from the web: the form, then the page of the import as a worker process
runs it (progress, then the report, the refusal, or the implausible results to confirm or
cancel)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from sdsf.sources.limits import french_size
from sdsf.sources.templates import TEMPLATES
from sdsf.web.apps.accounts.permissions import IMPORT, require
from sdsf.web.apps.datasets import import_jobs
from sdsf.web.apps.datasets.models import ImportJob
from sdsf.web.apps.jobs.services import recover_interrupted, worker_available
from sdsf.web.www.common import form_problems
from sdsf.web.www.forms import UploadForm
from sdsf.web.www.uploads import REFUSED, upload_limit


def importer(request: HttpRequest) -> HttpResponse:
    require(request.user, IMPORT)
    form = UploadForm(request.POST or None, request.FILES or None)
    error = getattr(request, REFUSED, "")
    if request.method == "POST" and not error:
        if form.is_valid():
            upload = form.cleaned_data["fichier"]
            try:
                job = import_jobs.request_import(
                    request.user,
                    form.cleaned_data["source"],
                    upload.name,
                    upload.chunks(),
                    level=form.cleaned_data["niveau"] or "",
                    year=form.cleaned_data["annee"],
                    edition=form.cleaned_data["edition"],
                    ignore_unknown=form.cleaned_data["ignorer_codes_inconnus"],
                )
            except import_jobs.ImportRequestError as exc:
                error = f"Aucun import lancé : {exc}."
            else:
                return redirect("import_suivi", job.pk)
        else:
            error = f"Aucun import lancé. {form_problems(form)}"
    return render(
        request,
        "www/importer.html",
        {
            "title": "Importer un fichier",
            "templates": TEMPLATES,
            "form": form,
            "error": error,
            "limit": upload_limit(),
            "limit_label": french_size(upload_limit()),
            "jobs": import_jobs.recent_jobs(request.user),
        },
        status=413 if error and hasattr(request, REFUSED) else 200,
    )


def import_page(request: HttpRequest, pk: int) -> HttpResponse:
    job = import_jobs.visible_jobs(request.user).filter(pk=pk).first()
    if job is None:
        raise Http404("Import inconnu")
    if request.method == "POST":
        op = request.POST.get("op")
        try:
            if op == "confirmer":
                import_jobs.confirm(request.user, job)
                messages.success(request, "Import confirmé : il reprend en arrière-plan.")
            elif op == "annuler":
                import_jobs.cancel(request.user, job)
                messages.success(request, "Import annulé : rien n'a été importé.")
        except import_jobs.ImportRequestError as exc:
            messages.error(request, f"{str(exc)[:1].upper()}{str(exc)[1:]}.")
        return redirect("import_suivi", job.pk)
    recover_interrupted()
    job.refresh_from_db()
    return render(
        request,
        "www/import_suivi.html",
        {
            "title": f"Import de « {job.file_name} »",
            "job": job,
            "waiting_for_worker": job.status == ImportJob.WAITING and not worker_available(),
        },
    )
