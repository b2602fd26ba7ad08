"""Who may do what: the rights of each role, enforced by the services (the pages only hide
what a service would refuse).

Every right but reading the national view is bound to a département: a person acts in the
département of their organisation; the national role reads every département; the
administrator does everything everywhere. A contributor edits an action, and enters its
indicator values, only when their organisation pilots or co-pilots it. Importing is a right on
a département (every row of the file must fall in it); a national file (several départements,
a région, France) is the administrator's.
"""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import PermissionDenied

from sdsf.web.apps.accounts.models import (
    ADMIN,
    COMMITTEE,
    CONTRIBUTOR,
    NATIONAL,
    PILOT,
    READER,
    ROLES,
    Profile,
)

READ = "lire"
COMMENT = "commenter"
EDIT_ACTION = "modifier_action"
STEER = "piloter"
INVITE = "inviter"
IMPORT = "importer"
IMPORT_NATIONAL = "importer_national"
NATIONAL_VIEW = "vue_nationale"

ACTIONS = {
    READ: "consulter le schéma du département",
    COMMENT: "commenter le projet de schéma",
    EDIT_ACTION: "modifier une action et saisir ses indicateurs",
    STEER: "piloter le schéma (calendrier, comité, orientations, actions, signatures)",
    INVITE: "inviter des partenaires",
    IMPORT: "importer des données",
    IMPORT_NATIONAL: "importer un fichier qui couvre plusieurs départements ou toute la France",
    NATIONAL_VIEW: "consulter la vue nationale",
}
# The roles that hold each right, within their own département.
RIGHTS: dict[str, frozenset[str]] = {
    READ: frozenset({PILOT, COMMITTEE, CONTRIBUTOR, READER}),
    COMMENT: frozenset({PILOT, COMMITTEE, CONTRIBUTOR}),
    EDIT_ACTION: frozenset({PILOT, CONTRIBUTOR}),
    STEER: frozenset({PILOT}),
    INVITE: frozenset({PILOT}),
    IMPORT: frozenset({PILOT}),
    IMPORT_NATIONAL: frozenset(),  # the administrator's
    NATIONAL_VIEW: frozenset(),
}


class _CommandLine:
    """The local operator of the command line and of the demo builder: every right (they hold
    the database already). The web app never uses it: its views pass the logged-in user."""

    is_authenticated = True
    is_superuser = True
    pk = None

    def get_username(self) -> str:
        return "ligne de commande"

    def get_full_name(self) -> str:
        return "ligne de commande"


SYSTEM = _CommandLine()


def profile_of(user: object) -> Profile | None:
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        found = getattr(user, "profile", None)
    except Profile.DoesNotExist:
        return None
    return found if isinstance(found, Profile) else None


def role_of(user: object) -> str | None:
    """The user's role; a Django superuser is an administrator; no profile, no role."""
    if getattr(user, "is_superuser", False):
        return ADMIN
    profile = profile_of(user)
    return profile.role if profile else None


def departement_of(user: object) -> str:
    profile = profile_of(user)
    return profile.departement if profile else ""


def can(
    user: object,
    action: str,
    departement: str | None = None,
    piloted_by: Collection[int] = (),
) -> bool:
    """Whether ``user`` may do ``action`` in ``departement``. ``piloted_by``: the organisations
    that pilot or co-pilot the action concerned (for a contributor's edits)."""
    role = role_of(user)
    if role is None:
        return False
    if role == ADMIN:
        return True
    if role == NATIONAL:
        return action in (READ, NATIONAL_VIEW)
    if role not in RIGHTS[action]:
        return False
    if departement is not None and departement != departement_of(user):
        return False
    if action == EDIT_ACTION and role == CONTRIBUTOR:
        profile = profile_of(user)
        return profile is not None and profile.organisation_id in set(piloted_by)
    return True


def require(
    user: object,
    action: str,
    departement: str | None = None,
    piloted_by: Collection[int] = (),
) -> None:
    """Raise :class:`PermissionDenied` with a French message when :func:`can` says no."""
    if not can(user, action, departement, piloted_by):
        role = ROLES.get(role_of(user) or "", "aucun rôle")
        where = f" dans le département {departement}" if departement else ""
        raise PermissionDenied(f"Votre rôle ({role}) ne permet pas de {ACTIONS[action]}{where}.")
