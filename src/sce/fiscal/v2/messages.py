"""The FDM's error, warning and information messages: codes, categories, display rule and texts in NL/FR/DE.

Texts follow the request's ``language``; EN is the fallback for an ``Accept-Language: en`` header read
before the input was parsed. Every message has the GraphQL ``Message`` shape of the spec.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

LANGUAGES = ("NL", "FR", "DE", "EN")
DEFAULT_LANGUAGE = "NL"

ERROR_CODES = (
    "BUFFER_FULL",
    "FDM_LOCKED",
    "TOO_MANY_MEMORY_ERRORS",
    "UNAUTHORIZED",
    "INVALID_REQUEST",
    "INTERNAL_ERROR",
    "UNDEFINED_ERROR",
    "FDM_NOT_OPERATIONAL",
    "UNKNOWN_POS",
    "DUPLICATE_REQUEST",
    "UNDEFINED_OTHER",
)

WARNING_CODES = (
    "CLIENT_CERT_NEAR_EXPIRATION",
    "CLIENT_CERT_EXPIRED",
    "RTC_SYNC_FAILED",
    "UPDATE_URLS_FAILED",
    "UPDATE_TRUST_CERT_FAILED",
    "UPDATE_TASK_LIST_FAILED",
    "TASK_FEEDBACK_FAILED",
    "NOP_FAILED",
    "BUFFER_NEAR_FULL",
    "SERVER_CERT_RESOLVE_FAILED",
    "TRANSACTION_UPLOAD_FAILED",
    "INITIALIZATION_FAILED",
    "RTC_NOT_INITIALIZED",
    "CORRUPT_RECORD_ENCOUNTERED",
    "UPDATE_PARAMS_FAILED",
    "UPDATE_CLIENT_CERT_FAILED",
    "UPDATE_VAT_RATES_FAILED",
    "UPDATE_POS_ALLOWLIST_FAILED",
    "DUPLICATE_REQUEST",
    "UPDATE_POS_VATNO",
    "UPDATE_POS_ESTNO",
    "UNDEFINED_OTHER",
)

MANDATORY_WARNINGS = frozenset(
    {"CLIENT_CERT_EXPIRED", "BUFFER_NEAR_FULL", "UPDATE_POS_VATNO", "UPDATE_POS_ESTNO"}
)
OPTIONAL_WARNINGS = frozenset(
    {"CLIENT_CERT_NEAR_EXPIRATION", "DUPLICATE_REQUEST", "TRANSACTION_UPLOAD_FAILED"}
)

# (NL, FR, DE, EN) per code; {fdm}, {field}, {rule}, {detail} are filled in.
_ERRORS: dict[str, tuple[str, str, str, str]] = {
    "BUFFER_FULL": (
        "De buffer van FDM {fdm} is vol; niets kan nog ondertekend worden tot de gegevens verstuurd zijn.",
        "La mémoire tampon du FDM {fdm} est pleine ; plus rien ne peut être signé avant l'envoi des données.",
        "Der Puffer des FDM {fdm} ist voll; bis zur Übertragung der Daten kann nichts signiert werden.",
        "The buffer of FDM {fdm} is full; nothing can be signed until its data has been uploaded.",
    ),
    "FDM_LOCKED": (
        "FDM {fdm} is vergrendeld.",
        "Le FDM {fdm} est verrouillé.",
        "Das FDM {fdm} ist gesperrt.",
        "FDM {fdm} is locked.",
    ),
    "TOO_MANY_MEMORY_ERRORS": (
        "FDM {fdm} heeft te veel geheugenfouten.",
        "Le FDM {fdm} a trop d'erreurs de mémoire.",
        "Das FDM {fdm} hat zu viele Speicherfehler.",
        "FDM {fdm} has too many memory errors.",
    ),
    "UNAUTHORIZED": (
        "Authenticatie bij FDM {fdm} mislukt.",
        "Échec de l'authentification auprès du FDM {fdm}.",
        "Authentifizierung beim FDM {fdm} fehlgeschlagen.",
        "Authentication with FDM {fdm} failed.",
    ),
    "INVALID_REQUEST": (
        "De aanvraag aan FDM {fdm} is ongeldig: veld {field}, regel {rule}.",
        "La requête au FDM {fdm} est invalide : champ {field}, règle {rule}.",
        "Die Anfrage an das FDM {fdm} ist ungültig: Feld {field}, Regel {rule}.",
        "The request to FDM {fdm} is invalid: field {field}, rule {rule}.",
    ),
    "INTERNAL_ERROR": (
        "Technische fout in FDM {fdm}.",
        "Erreur technique dans le FDM {fdm}.",
        "Technischer Fehler im FDM {fdm}.",
        "Technical error in FDM {fdm}.",
    ),
    "UNDEFINED_ERROR": (
        "Onbepaalde fout in FDM {fdm}.",
        "Erreur indéfinie dans le FDM {fdm}.",
        "Undefinierter Fehler im FDM {fdm}.",
        "Undefined error in FDM {fdm}.",
    ),
    "FDM_NOT_OPERATIONAL": (
        "FDM {fdm} is niet operationeel.",
        "Le FDM {fdm} n'est pas opérationnel.",
        "Das FDM {fdm} ist nicht betriebsbereit.",
        "FDM {fdm} is not operational.",
    ),
    "UNKNOWN_POS": (
        "Kassa {detail} is niet gekend door FDM {fdm}.",
        "La caisse {detail} n'est pas connue du FDM {fdm}.",
        "Die Kasse {detail} ist dem FDM {fdm} nicht bekannt.",
        "POS {detail} is not known to FDM {fdm}.",
    ),
    "DUPLICATE_REQUEST": (
        "Dubbele aanvraag aan FDM {fdm}: dit ticketnummer werd al met andere gegevens ondertekend.",
        "Requête en double au FDM {fdm} : ce numéro de ticket a déjà été signé avec d'autres données.",
        "Doppelte Anfrage an das FDM {fdm}: diese Bonnummer wurde bereits mit anderen Daten signiert.",
        "Duplicate request to FDM {fdm}: this ticket number was already signed with other data.",
    ),
    "UNDEFINED_OTHER": (
        "Niet nader bepaalde fout in FDM {fdm}.",
        "Erreur non spécifiée dans le FDM {fdm}.",
        "Nicht näher bestimmter Fehler im FDM {fdm}.",
        "Unspecified error in FDM {fdm}.",
    ),
}

_WARNINGS: dict[str, tuple[str, str, str, str]] = {
    "CLIENT_CERT_NEAR_EXPIRATION": (
        "Het certificaat van FDM {fdm} vervalt binnen 4 maanden.",
        "Le certificat du FDM {fdm} expire dans moins de 4 mois.",
        "Das Zertifikat des FDM {fdm} läuft in weniger als 4 Monaten ab.",
        "The certificate of FDM {fdm} expires within 4 months.",
    ),
    "CLIENT_CERT_EXPIRED": (
        "Het certificaat van FDM {fdm} is vervallen.",
        "Le certificat du FDM {fdm} a expiré.",
        "Das Zertifikat des FDM {fdm} ist abgelaufen.",
        "The certificate of FDM {fdm} has expired.",
    ),
    "RTC_SYNC_FAILED": (
        "Synchronisatie van de klok van FDM {fdm} mislukt.",
        "Échec de la synchronisation de l'horloge du FDM {fdm}.",
        "Uhrsynchronisation des FDM {fdm} fehlgeschlagen.",
        "Clock synchronisation of FDM {fdm} failed.",
    ),
    "UPDATE_URLS_FAILED": (
        "Bijwerken van de URL's van FDM {fdm} mislukt.",
        "Échec de la mise à jour des URL du FDM {fdm}.",
        "Aktualisierung der URLs des FDM {fdm} fehlgeschlagen.",
        "Updating the URLs of FDM {fdm} failed.",
    ),
    "UPDATE_TRUST_CERT_FAILED": (
        "Bijwerken van de vertrouwenscertificaten van FDM {fdm} mislukt.",
        "Échec de la mise à jour des certificats de confiance du FDM {fdm}.",
        "Aktualisierung der Vertrauenszertifikate des FDM {fdm} fehlgeschlagen.",
        "Updating the trust certificates of FDM {fdm} failed.",
    ),
    "UPDATE_TASK_LIST_FAILED": (
        "Bijwerken van de takenlijst van FDM {fdm} mislukt.",
        "Échec de la mise à jour de la liste des tâches du FDM {fdm}.",
        "Aktualisierung der Aufgabenliste des FDM {fdm} fehlgeschlagen.",
        "Updating the task list of FDM {fdm} failed.",
    ),
    "TASK_FEEDBACK_FAILED": (
        "Terugmelding van een taak van FDM {fdm} mislukt.",
        "Échec du retour d'une tâche du FDM {fdm}.",
        "Rückmeldung einer Aufgabe des FDM {fdm} fehlgeschlagen.",
        "Task feedback of FDM {fdm} failed.",
    ),
    "NOP_FAILED": (
        "Het controlebericht (NOP) van FDM {fdm} naar de FOD kwam niet aan.",
        "Le message de contrôle (NOP) du FDM {fdm} vers le SPF n'a pas abouti.",
        "Die Kontrollnachricht (NOP) des FDM {fdm} an den FÖD kam nicht an.",
        "The keep-alive (NOP) of FDM {fdm} to the FPS failed.",
    ),
    "BUFFER_NEAR_FULL": (
        "De buffer van FDM {fdm} is bijna vol ({detail} %).",
        "La mémoire tampon du FDM {fdm} est presque pleine ({detail} %).",
        "Der Puffer des FDM {fdm} ist fast voll ({detail} %).",
        "The buffer of FDM {fdm} is nearly full ({detail} %).",
    ),
    "SERVER_CERT_RESOLVE_FAILED": (
        "Het servercertificaat kon niet gecontroleerd worden door FDM {fdm}.",
        "Le FDM {fdm} n'a pas pu vérifier le certificat du serveur.",
        "Das FDM {fdm} konnte das Serverzertifikat nicht prüfen.",
        "FDM {fdm} could not resolve the server certificate.",
    ),
    "TRANSACTION_UPLOAD_FAILED": (
        "FDM {fdm} kan de gegevens niet naar de FOD Financiën versturen; ze blijven in de buffer.",
        "Le FDM {fdm} ne parvient pas à envoyer les données au SPF Finances ; elles restent en mémoire.",
        "Das FDM {fdm} kann die Daten nicht an den FÖD Finanzen senden; sie bleiben im Puffer.",
        "FDM {fdm} cannot upload its data to the FPS Finance; it stays in the buffer.",
    ),
    "INITIALIZATION_FAILED": (
        "Initialisatie van FDM {fdm} mislukt.",
        "Échec de l'initialisation du FDM {fdm}.",
        "Initialisierung des FDM {fdm} fehlgeschlagen.",
        "Initialisation of FDM {fdm} failed.",
    ),
    "RTC_NOT_INITIALIZED": (
        "De klok van FDM {fdm} is niet ingesteld.",
        "L'horloge du FDM {fdm} n'est pas initialisée.",
        "Die Uhr des FDM {fdm} ist nicht eingestellt.",
        "The clock of FDM {fdm} is not initialised.",
    ),
    "CORRUPT_RECORD_ENCOUNTERED": (
        "FDM {fdm} vond een beschadigd record.",
        "Le FDM {fdm} a rencontré un enregistrement corrompu.",
        "Das FDM {fdm} hat einen beschädigten Datensatz gefunden.",
        "FDM {fdm} encountered a corrupt record.",
    ),
    "UPDATE_PARAMS_FAILED": (
        "Bijwerken van de parameters van FDM {fdm} mislukt.",
        "Échec de la mise à jour des paramètres du FDM {fdm}.",
        "Aktualisierung der Parameter des FDM {fdm} fehlgeschlagen.",
        "Updating the parameters of FDM {fdm} failed.",
    ),
    "UPDATE_CLIENT_CERT_FAILED": (
        "Bijwerken van het certificaat van FDM {fdm} mislukt.",
        "Échec de la mise à jour du certificat du FDM {fdm}.",
        "Aktualisierung des Zertifikats des FDM {fdm} fehlgeschlagen.",
        "Updating the client certificate of FDM {fdm} failed.",
    ),
    "UPDATE_VAT_RATES_FAILED": (
        "Bijwerken van de btw-tarieven van FDM {fdm} mislukt.",
        "Échec de la mise à jour des taux de TVA du FDM {fdm}.",
        "Aktualisierung der MwSt.-Sätze des FDM {fdm} fehlgeschlagen.",
        "Updating the VAT rates of FDM {fdm} failed.",
    ),
    "UPDATE_POS_ALLOWLIST_FAILED": (
        "Bijwerken van de lijst van toegelaten kassa's van FDM {fdm} mislukt.",
        "Échec de la mise à jour de la liste des caisses autorisées du FDM {fdm}.",
        "Aktualisierung der Liste zugelassener Kassen des FDM {fdm} fehlgeschlagen.",
        "Updating the POS allow-list of FDM {fdm} failed.",
    ),
    "DUPLICATE_REQUEST": (
        "Deze aanvraag werd al ondertekend door FDM {fdm}; het oorspronkelijke antwoord wordt herhaald.",
        "Cette requête a déjà été signée par le FDM {fdm} ; la réponse d'origine est renvoyée.",
        "Diese Anfrage wurde vom FDM {fdm} bereits signiert; die ursprüngliche Antwort wird wiederholt.",
        "This request was already signed by FDM {fdm}; the original answer is repeated.",
    ),
    "UPDATE_POS_VATNO": (
        "Het btw-nummer {detail} verschilt van het nummer geregistreerd in FDM {fdm}.",
        "Le numéro de TVA {detail} diffère de celui enregistré dans le FDM {fdm}.",
        "Die MwSt.-Nummer {detail} weicht von der im FDM {fdm} registrierten ab.",
        "VAT number {detail} differs from the one registered in FDM {fdm}.",
    ),
    "UPDATE_POS_ESTNO": (
        "Het vestigingsnummer {detail} verschilt van het nummer geregistreerd in FDM {fdm}.",
        "Le numéro d'unité d'établissement {detail} diffère de celui enregistré dans le FDM {fdm}.",
        "Die Niederlassungsnummer {detail} weicht von der im FDM {fdm} registrierten ab.",
        "Establishment number {detail} differs from the one registered in FDM {fdm}.",
    ),
    "UNDEFINED_OTHER": (
        "Niet nader bepaalde melding van FDM {fdm}.",
        "Avertissement non spécifié du FDM {fdm}.",
        "Nicht näher bestimmte Warnung des FDM {fdm}.",
        "Unspecified warning from FDM {fdm}.",
    ),
}


def language_of(value: str | None) -> str:
    """A supported language code from ``NL``/``fr-BE``/``de;q=0.8`` style values; NL when unknown."""
    if not value:
        return DEFAULT_LANGUAGE
    for part in value.split(","):
        code = part.split(";")[0].strip()[:2].upper()
        if code in LANGUAGES:
            return code
    return DEFAULT_LANGUAGE


def _text(table: dict[str, tuple[str, str, str, str]], code: str, language: str, **fill: str) -> str:
    texts = table[code]
    index = LANGUAGES.index(language) if language in LANGUAGES else LANGUAGES.index("EN")
    return texts[index].format(fdm=fill.get("fdm", ""), **{k: v for k, v in fill.items() if k != "fdm"})


def _fill(fdm: str, detail: str, data: Sequence[tuple[str, str]]) -> dict[str, str]:
    values = dict(data)
    return {
        "fdm": fdm,
        "detail": detail,
        "field": values.get("field", ""),
        "rule": values.get("rule", ""),
    }


def error_message(
    code: str, language: str, fdm: str, *, detail: str = "", data: Sequence[tuple[str, str]] = ()
) -> tuple[str, dict[str, Any]]:
    """The text and ``extensions`` of an error (event refused, nothing signed)."""
    text = _text(_ERRORS, code, language, **_fill(fdm, detail, data))
    category = "OTHER" if code == "UNDEFINED_OTHER" else "FDM"
    extensions = {
        "category": category,
        "code": code,
        "data": [{"name": name, "value": value} for name, value in data],
        "showPos": "MANDATORY",
    }
    return text, extensions


def warning(
    code: str, language: str, fdm: str, *, detail: str = "", data: Sequence[tuple[str, str]] = ()
) -> dict[str, Any]:
    """A warning ``Message`` inside a successful answer (the event was signed)."""
    if code in MANDATORY_WARNINGS:
        show = "MANDATORY"
    elif code in OPTIONAL_WARNINGS:
        show = "OPTIONAL"
    else:
        show = "NEVER"
    return {
        "message": _text(_WARNINGS, code, language, **_fill(fdm, detail, data)),
        "locations": None,
        "extensions": {
            "category": "FDM",
            "code": code,
            "data": [{"name": name, "value": value} for name, value in data],
            "showPos": show,
        },
    }


def information(text: str, code: str = "FPS_NOTICE") -> dict[str, Any]:
    """An FPS notice passed on in ``informations`` (category SPF_FOD)."""
    return {
        "message": text,
        "locations": None,
        "extensions": {"category": "SPF_FOD", "code": code, "data": [], "showPos": "OPTIONAL"},
    }
