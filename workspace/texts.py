"""User-facing strings of the workspace in French and English (``tr("notes", "en")``)."""

from __future__ import annotations

from typing import Any

_T: dict[str, tuple[str, str]] = {
    "title": ("Espace de travail", "Workspace"),
    "hello": ("Connecté·e : {user} ({role})", "Signed in: {user} ({role})"),
    "logout": ("Se déconnecter", "Sign out"),
    "login_needed": (
        "Cet espace est réservé aux chargés d'études de l'EPT.",
        "This area is for the EPT's officers.",
    ),
    "login": ("Se connecter", "Sign in"),
    "indicator": ("Indicateur", "Indicator"),
    "territory": ("Territoire", "Area"),
    "notes": ("Notes", "Notes"),
    "note_date": ("Date de la note", "Date of the note"),
    "note_body": (
        "Texte (contexte, évènement local, précaution de lecture…)",
        "Text (context, local event, caution on a figure…)",
    ),
    "note_public": ("Publier la note dans la vue publique", "Show the note in the public view"),
    "scope_both": ("Cet indicateur pour ce territoire", "This indicator for this area"),
    "scope_code": ("Ce territoire (tous indicateurs)", "This area (all indicators)"),
    "scope_ind": ("Cet indicateur (tous territoires)", "This indicator (all areas)"),
    "note_add": ("Ajouter la note", "Add the note"),
    "archive": ("Archiver", "Archive"),
    "target": ("Cible", "Target"),
    "target_value": ("Valeur cible (unité de l'indicateur)", "Target value (indicator's unit)"),
    "target_date": ("Échéance", "Target date"),
    "target_label": ("Libellé (ex. loi SRU)", "Label (e.g. SRU law)"),
    "target_public": ("Afficher la cible dans la vue publique", "Show the target in the public view"),
    "target_save": ("Enregistrer la cible", "Save the target"),
    "target_remove": ("Retirer la cible", "Remove the target"),
    "views": ("Vues enregistrées", "Saved views"),
    "view_name": ("Nom", "Name"),
    "view_url": (
        "Adresse de la vue (ex. /carte?indicateur=…)",
        "Address of the view (e.g. /carte?indicateur=…)",
    ),
    "view_shared": ("Partager avec les collègues", "Share with colleagues"),
    "view_save": ("Enregistrer la vue", "Save the view"),
    "data": ("Nouvelles données", "New data"),
    "data_help": (
        "Déposez le nouveau fichier officiel d'une source déclarée : il est vérifié avec les schémas de "
        "l'ETL et rien n'est publié avant votre confirmation.",
        "Drop the new official file of a declared source: it is checked with the ETL's schemas and "
        "nothing is published before you confirm.",
    ),
    "source": ("Source", "Source"),
    "file_key": ("Fichier", "File"),
    "vintage": ("Millésime (facultatif)", "Vintage (optional)"),
    "drop": ("Glisser le fichier ici ou cliquer pour le choisir", "Drop the file here or click to choose it"),
    "publish": ("Publier ces données", "Publish these data"),
    "uploads": ("Fichiers importés", "Imported files"),
    "job_queued": (
        "Publication de l'import n° {id} en attente (un autre chargement de la base est en cours)…",
        "Publication of upload #{id} waiting (another load of the store is running)…",
    ),
    "job_publishing": (
        "Publication de l'import n° {id} en cours : l'ETL recharge la base (environ une minute)…",
        "Publishing upload #{id}: the ETL is reloading the store (about a minute)…",
    ),
    "job_published": (
        "Publié : import n° {id} (millésime {vintage}).",
        "Published: upload #{id} ({vintage}).",
    ),
    "job_failed": ("Échec de la publication de l'import n° {id} : {error}", "Upload #{id} failed: {error}"),
    "audit": ("Journal des modifications", "Change log"),
}


def tr(key: str, lang: str, **kw: Any) -> str:
    text = _T[key][1 if lang == "en" else 0]
    return text.format(**kw) if kw else text
