"""Property: whatever is typed into any form of the schéma space or of the priorities (texts in
any script, empty or too long, numbers huge, negative or not finite, odd dates, ids that are not
integers), the page answers (never a server error); a refusal is told in French and stores
nothing; what is accepted shows on the pages that display it.

Each form gets its own test, each generated example its own transaction
(:class:`hypothesis.extra.django.TestCase`), so that what one example stores does not leak into
the next. In each example up to three fields, drawn, get anything; the others a valid value
(odd but valid ones included: a negative or decreasing target, a text of the column's exact
length, the bounds of dates and amounts), so that an odd value reaches the services, not only
the forms' checks, and examples with all values valid show what is accepted."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.messages import ERROR, SUCCESS, get_messages
from hypothesis import event, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from sdsf.web.apps.accounts.models import Invitation, Organisation
from sdsf.web.apps.accounts.permissions import SYSTEM
from sdsf.web.apps.actionplan.models import Action
from sdsf.web.apps.priorities.models import PriorityVersion
from sdsf.web.apps.priorities.services import save_version
from sdsf.web.apps.schemes.models import Comment, Decision, Meeting
from sdsf.web.apps.schemes.services import current_scheme
from tests.conftest import DEMO_DEPARTEMENT as DEP
from tests.web.stored import fingerprint

EXAMPLES = 20
S = f"/departements/{DEP}/schema"
ENGLISH = re.compile(
    r"\b(Enter a|This field|Select a valid|Ensure this|is not|Invalid|must be|expected)\b"
)

# --- values ---------------------------------------------------------------------------------

ODD_TEXTS = st.one_of(
    st.text(max_size=30),  # any script, control characters, NUL
    st.sampled_from(["", " ", "\x00", "\t\n", "<b>gras</b>", "'; DROP TABLE x; --", "ﷺ𝕏🙂"]),
    st.integers(150, 21_000).map(lambda n: "é" * n),
)
ODD_NUMBERS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.sampled_from(
        [
            *("inf", "-inf", "nan", "NaN", "1e999", "-1e999", "1e308", "-0", "1,5", "1 000,5"),
            *("10 000 000 000", "abc", "", "٣", "1_000", "0x10", "1e-400", "9" * 5000),
        ]
    ),
)
ODD_DATES = st.one_of(
    st.dates().map(dt.date.isoformat),
    st.dates().map(lambda d: f"{d.day:02d}/{d.month:02d}/{d.year:04d}"),
    st.sampled_from(
        [
            *("31/02/2026", "2026-02-30", "2026-13-01", "31/12/99999", "0000-01-01"),
            *("01/01/0001", "", "demain", "2026/12/31", "12/31/2026", "31-12-2026"),
            "2026-12-31T10:00",
        ]
    ),
    st.text(max_size=12),
)
ODD_IDS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.sampled_from(["", "abc", "1.5", "0", "-1", "99999999999999999999", "1e3", "٣", " 1"]),
    st.text(max_size=8),
)


@dataclass(frozen=True)
class Value:
    """How to draw a field: a valid value (odd but valid ones included), or anything."""

    valid: st.SearchStrategy[Any]
    odd: st.SearchStrategy[Any]


def optional(value: Value) -> Value:
    return Value(st.one_of(st.just(""), value.valid), value.odd)


def text(*valid: str, max_length: int = 200) -> Value:
    edge = ("ç" * max_length, "Ωμέγα — 北京 — مرحبا", " espaces autour ")
    return Value(st.sampled_from([*valid, *(e for e in edge if len(e) <= max_length)]), ODD_TEXTS)


def number(*valid: str) -> Value:
    base = ("0", "-5", "12,5", "1 234,5", "-999999999999999", "1e15", "3.25")
    return Value(st.sampled_from([*valid, *base]), ODD_NUMBERS)


def year() -> Value:
    return Value(st.integers(1990, 2100).map(str), ODD_NUMBERS)


def date(low: dt.date = dt.date(1990, 1, 1), high: dt.date = dt.date(2100, 12, 31)) -> Value:
    valid = st.dates(low, high)
    return Value(
        st.one_of(valid.map(dt.date.isoformat), valid.map(lambda d: d.strftime("%d/%m/%Y"))),
        ODD_DATES,
    )


def choice(*valid: object) -> Value:
    return Value(st.sampled_from([str(v) for v in valid]), ODD_TEXTS)


def pk(*valid: object) -> Value:
    return Value(st.sampled_from([str(v) for v in valid]), ODD_IDS)


def pks(*valid: object) -> Value:
    ids = st.sampled_from([str(v) for v in valid])
    return Value(st.lists(ids, max_size=3, unique=True), st.lists(st.one_of(ids, ODD_IDS)))


def amount() -> Value:
    valid = ["1000", "0", "9 999 999 999,99", "1 234,56", "0,01", "2500.5"]
    odd = ["10 000 000 000", "-5", "1,005", "NaN", "sNaN", "Infinity", "1E+400", "1e5"]
    return Value(st.sampled_from(valid), st.one_of(st.sampled_from(odd), ODD_NUMBERS))


def targets() -> Value:
    valid = ["2027: 4", "2027: -5", "2025: 60, 2027: 40", "2025: 60,5; 2027: 40", "", "2100: 0"]
    odd = ["2027: inf", "2027: nan", "99999: 5", "-5: 5", "1800: 5", "2027", "2027: 1, 2027: 2"]
    return Value(st.sampled_from(valid), st.one_of(st.sampled_from(odd), ODD_TEXTS))


PASSWORD = Value(st.just("Un-mot-de-passe-solide-2026"), st.sampled_from(["court", "", "autre"]))
BOOLEAN = Value(st.sampled_from(["on", ""]), st.sampled_from(["off", "true", "0", "x" * 300]))
EARLY, LATE = (
    date(dt.date(2020, 1, 1), dt.date(2025, 12, 31)),
    date(dt.date(2026, 1, 1), dt.date(2030, 12, 31)),
)


# --- the forms ------------------------------------------------------------------------------

Objects = dict[str, Any]


class Form:
    """A form: its address, its fields and how to draw them, fixed fields, and the pages that
    show what it stores."""

    def __init__(
        self,
        url: Callable[[Objects], str],
        fields: Callable[[Objects], dict[str, Value]],
        fixed: Callable[[Objects], dict[str, Any]] = lambda o: {},
        pages: Callable[[Objects], list[str]] = lambda o: [],
        *,
        anonymous: bool = False,
        messages: bool = True,
        proposal: bool = False,
    ) -> None:
        self.url, self.fields, self.fixed, self.pages = url, fields, fixed, pages
        self.proposal = proposal  # the form changes a proposal of the priority map
        self.anonymous = anonymous  # the invitation is accepted without an account
        self.messages = messages  # False: the page tells its errors next to the fields


def _action_pages(o: Objects) -> list[str]:
    return [f"{S}/actions/{o['action'].pk}/", f"{S}/tableau-de-bord/", f"{S}/plan/"]


def _meeting_pages(o: Objects) -> list[str]:
    return [f"{S}/comite/{o['meeting'].pk}/", f"{S}/comite/"]


def _action_fields(o: Objects, prefix: str = "") -> dict[str, Value]:
    orgs = o["orgs"]
    return {
        f"{prefix}orientation": pk(o["orientation"].pk),
        f"{prefix}title": text("Une action", max_length=300),
        f"{prefix}objective": text("Un objectif", max_length=2000),
        f"{prefix}description": text("", "Une description", max_length=2000),
        f"{prefix}pilot": pk(*orgs),
        f"{prefix}partners": pks(*orgs),
        f"{prefix}territories": text("", "44109", "44109, 244400404, 99999", max_length=600),
        f"{prefix}public": text("", "familles", max_length=300),
        f"{prefix}expected_result": text("Un résultat", max_length=2000),
        f"{prefix}status": choice("prevue", "en_cours", "realisee", "abandonnee"),
        f"{prefix}abandon_reason": text("", "Un motif", max_length=2000),
    }


FORMS: dict[str, Form] = {
    "schema": Form(
        lambda o: f"{S}/",
        lambda o: {
            "title": text("Schéma 2031-2036"),
            "start": date(),
            "template": choice("renouvellement-6-ans", "prefiguration-2013"),
        },
        pages=lambda o: [f"{S}/", f"{S}/tableau-de-bord/"],
    ),
    "periode": Form(
        lambda o: f"{S}/periode/",
        lambda o: {"periode-start": EARLY, "periode-end": LATE},
        pages=lambda o: [f"{S}/", f"{S}/tableau-de-bord/"],
    ),
    "phase": Form(
        lambda o: f"{S}/phases/{o['phase'].pk}/",
        lambda o: {
            f"p{o['phase'].pk}-planned_start": EARLY,
            f"p{o['phase'].pk}-planned_end": LATE,
            f"p{o['phase'].pk}-actual_start": optional(EARLY),
            f"p{o['phase'].pk}-actual_end": optional(LATE),
        },
        pages=lambda o: [f"{S}/", f"{S}/tableau-de-bord/"],
    ),
    "reunion": Form(
        lambda o: f"{S}/comite/",
        lambda o: {
            "date": date(),
            "title": text("Comité de suivi"),
            "place": text("", "Nantes"),
            "agenda": text("", "Ordre du jour", max_length=2000),
        },
        pages=lambda o: [f"{S}/comite/", f"{S}/bilan-2026.xlsx"],
    ),
    "compte rendu": Form(
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {
            "agenda": text("", "Ordre du jour", max_length=2000),
            "minutes": text("", "Compte rendu", max_length=2000),
        },
        lambda o: {"op": "compte_rendu"},
        _meeting_pages,
    ),
    "presence": Form(
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {
            "name": text("M. Test"),
            "organisation": pk(*o["orgs"]),
            "status": choice("present", "excuse", "absent"),
        },
        lambda o: {"op": "presence"},
        _meeting_pages,
    ),
    "decision": Form(
        lambda o: f"{S}/comite/{o['meeting'].pk}/",
        lambda o: {
            "kind": choice("suivi_evaluation", "orientations_actions", "carte_prioritaires"),
            "text": text("Le comité prend acte.", max_length=2000),
            "priority_version": pk("", o["version"].pk),
            "snapshot": BOOLEAN,
        },
        lambda o: {"op": "decision"},
        lambda o: [*_meeting_pages(o), f"/departements/{DEP}/priorites/"],
    ),
    "correction": Form(
        lambda o: f"{S}/comite/{o['decision'].meeting_id}/",
        lambda o: {
            "decision": pk(o["decision"].pk),
            "modif-kind": choice("autre", "suivi_evaluation"),
            "modif-text": text("Rédaction corrigée.", max_length=2000),
        },
        lambda o: {"op": "correction"},
        lambda o: [f"{S}/comite/{o['decision'].meeting_id}/"],
    ),
    "commentaire": Form(
        lambda o: f"{S}/concertation/",
        lambda o: {
            "section": choice("diagnostic", "actions"),
            "text": text("Un avis.", max_length=2000),
        },
        pages=lambda o: [f"{S}/concertation/"],
    ),
    "reponse": Form(
        lambda o: f"{S}/concertation/{o['comment'].pk}/reponse/",
        lambda o: {
            f"r{o['comment'].pk}-status": choice("retenu", "non_retenu"),
            f"r{o['comment'].pk}-answer": text("Ajouté.", max_length=2000),
        },
        pages=lambda o: [f"{S}/concertation/"],
    ),
    "signature": Form(
        lambda o: f"{S}/signatures/",
        lambda o: {
            "organisation": pk(*o["orgs"]),
            "signed_by": text("", "La présidente"),
            "signed_on": optional(date()),
            "joined_later": BOOLEAN,
        },
        pages=lambda o: [f"{S}/signatures/", f"{S}/"],
    ),
    "orientation": Form(
        lambda o: f"{S}/plan/",
        lambda o: {
            "title": text("Une orientation", max_length=300),
            "axis": text("", "Axe 1"),
            "description": text("", "Une description", max_length=2000),
        },
        lambda o: {"op": "orientation"},
        lambda o: [f"{S}/plan/"],
    ),
    "orientation (modification)": Form(
        lambda o: f"{S}/orientations/{o['orientation'].pk}/",
        lambda o: {
            f"o{o['orientation'].pk}-title": text("Orientation reformulée", max_length=300),
            f"o{o['orientation'].pk}-axis": text("", "Axe 2"),
            f"o{o['orientation'].pk}-description": text("", "Texte", max_length=2000),
        },
        pages=lambda o: [f"{S}/plan/"],
    ),
    "action (création)": Form(
        lambda o: f"{S}/plan/",
        _action_fields,
        lambda o: {"op": "action"},
        lambda o: [f"{S}/plan/", f"{S}/tableau-de-bord/"],
    ),
    "action (modification)": Form(
        lambda o: f"{S}/actions/{o['action'].pk}/",
        lambda o: _action_fields(o, "action-") | {"action-revision": pk(o["action"].revision, 0)},
        lambda o: {"op": "modifier"},
        _action_pages,
    ),
    "financement": Form(
        lambda o: f"{S}/actions/{o['action'].pk}/",
        lambda o: {"fin-funder": pk(*o["orgs"]), "fin-year": year(), "fin-amount": amount()},
        lambda o: {"op": "financement"},
        lambda o: [*_action_pages(o), f"{S}/bilan-2027.xlsx"],
    ),
    "jalon": Form(
        lambda o: f"{S}/actions/{o['action'].pk}/",
        lambda o: {
            "jalon-title": text("Étape", max_length=300),
            "jalon-due_on": date(),
            "jalon-done_on": optional(date()),
        },
        lambda o: {"op": "jalon"},
        lambda o: [*_action_pages(o), f"{S}/bilan-2027.xlsx"],
    ),
    "indicateur": Form(
        lambda o: f"{S}/actions/{o['action'].pk}/",
        lambda o: {
            "ind-label": text("Nouvel indicateur", max_length=300),
            "ind-unit": text("", "%", max_length=60),
            "ind-baseline": optional(number()),
            "ind-baseline_year": optional(year()),
            "ind-targets": targets(),
            "ind-higher_is_better": BOOLEAN,
            "ind-source_indicator": optional(choice("taux_global")),
            "ind-territory": text("", "44109", "44", max_length=60),
        },
        lambda o: {"op": "indicateur"},
        lambda o: [*_action_pages(o), f"{S}/bilan-2027.xlsx"],
    ),
    "valeur": Form(
        lambda o: f"{S}/actions/{o['action'].pk}/",
        lambda o: {
            "indicateur": pk(o["indicator"].pk),
            "valeur-year": year(),
            "valeur-value": number(),
            "valeur-source": text("bilan", max_length=300),
        },
        lambda o: {"op": "valeur"},
        lambda o: [*_action_pages(o), f"{S}/bilan-2027.xlsx"],
    ),
    "textes": Form(
        lambda o: f"{S}/documents/",
        lambda o: {
            "textes-editorial": text("", "Éditorial.", max_length=20_000),
            "textes-issues": text("", "- un enjeu\n- un autre", max_length=20_000),
        },
        lambda o: {"op": "textes"},
        lambda o: [f"{S}/documents/"],
    ),
    "organisation": Form(
        lambda o: f"{S}/partenaires/",
        lambda o: {
            "name": text("Commune test"),
            "kind": choice("commune", "caf", "autre"),
            "territory": text("", "44109", max_length=9),
        },
        lambda o: {"op": "organisation"},
        lambda o: [f"{S}/partenaires/", f"{S}/plan/"],
    ),
    "invitation": Form(
        lambda o: f"{S}/partenaires/",
        lambda o: {
            "email": Value(
                st.sampled_from(["nouveau@exemple.fr", "Elise.Martin@exemple.fr"]),
                st.one_of(st.emails().map(str), ODD_TEXTS),
            ),
            "organisation": pk(*o["orgs"]),
            "role": choice("lecteur", "contributeur", "administrateur", "national"),
        },
        lambda o: {"op": "invitation"},
        lambda o: [f"{S}/partenaires/"],
    ),
    "acceptation d'une invitation": Form(
        lambda o: f"/invitation/{o['invitation'].token}/",
        lambda o: {
            "first_name": text("Élise", max_length=150),
            "last_name": text("Martin", max_length=150),
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        pages=lambda o: [f"{S}/"],
        anonymous=True,
        messages=False,
    ),
    "proposition de carte prioritaire": Form(
        lambda o: f"/departements/{DEP}/priorites/",
        lambda o: {"regles": choice("frt-2014", "bonus-territoire")},
        pages=lambda o: [f"/departements/{DEP}/priorites/"],
    ),
    "modification manuelle": Form(
        lambda o: f"/departements/{DEP}/priorites/versions/{o['version'].number}/",
        lambda o: {
            "territoire": choice(*o["codes"]),
            "modification": choice("ajout", "retrait"),
            "justification": text("Une raison écrite.", max_length=2000),
        },
        pages=lambda o: [
            f"/departements/{DEP}/priorites/versions/{o['version'].number}/",
            f"/departements/{DEP}/priorites/carte?version={o['version'].number}",
        ],
        proposal=True,
    ),
    "validation par le comité": Form(
        lambda o: f"/departements/{DEP}/priorites/versions/{o['version'].number}/",
        lambda o: {
            "date": date(),
            "seance": text("Comité du 15 juin 2026"),
            "decision": text("Le comité adopte la carte.", max_length=2000),
        },
        lambda o: {"action": "valider"},
        lambda o: [
            f"/departements/{DEP}/priorites/versions/{o['version'].number}/",
            f"/territoires/commune/{o['codes'][0]}/",
        ],
        proposal=True,
    ),
    "adaptation des règles": Form(
        lambda o: f"/departements/{DEP}/priorites/adapter/?regles=frt-2014",
        lambda o: {
            "nom": text("", "FRT 44"),
            "motif": text("Un motif.", max_length=2000),
            "seuil_couverture": optional(number("60,9")),
            "seuil_potentiel_financier": optional(number()),
            "retirer_revenu": BOOLEAN,
            "retirer_couverture": BOOLEAN,
        },
        lambda o: {"regles": "frt-2014"},
        lambda o: [f"/departements/{DEP}/priorites/?regles=frt-2014"],
    ),
}


def _objects(form: Form) -> Objects:
    """The demo's objects each form writes to; a proposal of the priority map and an
    invitation for the forms that need them."""
    scheme = current_scheme(DEP)
    action = Action.objects.filter(scheme=scheme).order_by("number").first()
    version = (
        save_version(DEP, "frt-2014", user=SYSTEM)
        if form.proposal
        else PriorityVersion.objects.filter(departement=DEP).order_by("number").first()
    )
    organisation = Organisation.objects.filter(departement=DEP, kind="msa").first()
    return {
        "scheme": scheme,
        "phase": scheme.phases.first(),
        "meeting": Meeting.objects.filter(scheme=scheme).first(),
        "comment": Comment.objects.filter(scheme=scheme, status=Comment.PENDING).first(),
        "action": action,
        "indicator": action.indicators.filter(source_indicator="").first(),
        "orientation": scheme.orientations.first(),
        "decision": Decision.objects.filter(meeting__scheme=scheme).first(),
        "orgs": list(Organisation.objects.filter(departement=DEP).values_list("pk", flat=True)[:3]),
        "version": version,
        "codes": [r["code"] for r in version.result[:3]],
        "invitation": Invitation.objects.create(
            email="invitee@exemple.fr", organisation=organisation, role="lecteur"
        )
        if form.anonymous
        else None,
    }


class FormsProperty(TestCase):
    """One test per form; each runs :data:`EXAMPLES` generated posts."""

    def check(self, name: str, data: st.DataObject) -> None:
        form = FORMS[name]
        objects = _objects(form)
        if not form.anonymous:
            self.client.force_login(get_user_model().objects.get(username="demo@sdsf.local"))
        spec = form.fields(objects)
        # a few fields, drawn, get anything; the others a valid value: the odd value then
        # reaches the service, and an example with none shows what is accepted
        odd = data.draw(st.sets(st.sampled_from(list(spec)), max_size=3), label="hors norme")
        fields = {
            key: data.draw(value.odd if key in odd else value.valid, label=key)
            for key, value in spec.items()
        }
        event(f"{len(odd)} champ(s) hors norme")
        before = fingerprint()
        response = self.client.post(form.url(objects), fields | form.fixed(objects))
        assert response.status_code in (200, 302), (name, response.status_code)
        told = [(m.level, str(m)) for m in get_messages(response.wsgi_request)]
        for _, message in told:
            assert not ENGLISH.search(message), (name, message)
        if any(level == SUCCESS for level, _ in told) or (
            not form.messages and response.status_code == 302
        ):
            event("enregistré")
            for page in form.pages(objects):
                shown = self.client.get(page)
                assert shown.status_code == 200, (name, page, shown.status_code)
            return
        event("refusé")
        assert fingerprint() == before, (name, "un refus a modifié les données", told)
        if form.messages:
            assert any(level == ERROR for level, _ in told), (name, "refus muet", told)
        else:
            html = response.content.decode()
            assert not ENGLISH.search(html.split("<main", 1)[-1].split("</main>")[0]), name


def _test(name: str) -> Callable[..., None]:
    @settings(max_examples=EXAMPLES, deadline=None)
    @given(data=st.data())
    def test(self: FormsProperty, data: st.DataObject) -> None:
        self.check(name, data)

    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    test.__name__ = "test_" + re.sub(r"\W+", "_", ascii_name.lower()).strip("_")
    test.__doc__ = f"Le formulaire « {name} »."
    return test


for _name in FORMS:
    _method = _test(_name)
    setattr(FormsProperty, _method.__name__, _method)
