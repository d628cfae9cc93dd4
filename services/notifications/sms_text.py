"""The text message: a short form of a message, its subject and the facts a customer acts on
(the pickup code, by when), in the customer's language. The e-mail keeps the whole message.

Plain Python: no transport, no storage.
"""

from __future__ import annotations

from collections.abc import Mapping

MAX_SMS_CHARS = 300  # two concatenated SMS at most
# The parameters worth a text message, in the order they are told, and their labels.
KEY_FACTS: dict[str, dict[str, str]] = {
    "pickup_code": {"en": "Pickup code", "fr": "Code de retrait", "nl": "Ophaalcode"},
    "total": {"en": "To pay", "fr": "À payer", "nl": "Te betalen"},
    "pay_by": {"en": "Pay by", "fr": "À payer avant", "nl": "Betalen vóór"},
    "payment_link": {"en": "Pay here", "fr": "Payer ici", "nl": "Betaal hier"},
    "collect_by": {"en": "Collect by", "fr": "À retirer avant", "nl": "Ophalen vóór"},
    "ready_by": {"en": "Ready by", "fr": "Prête le", "nl": "Klaar op"},
    "rma_number": {"en": "Return number", "fr": "Numéro de retour", "nl": "Retournummer"},
    "expires_at": {"en": "Send by", "fr": "À envoyer avant", "nl": "Versturen vóór"},
    "refund": {"en": "Refund", "fr": "Remboursement", "nl": "Terugbetaling"},
}


def sms_text(subject: str, params: Mapping[str, str], locale: str = "") -> str:
    """ "<subject>. <Label>: <value>. …", cut to MAX_SMS_CHARS with a marker when longer."""
    language = locale.replace("_", "-").split("-")[0].lower()
    facts = [
        f"{labels.get(language, labels['en'])}: {' '.join(params[name].split())}"
        for name, labels in KEY_FACTS.items()
        if params.get(name, "").strip()
    ]
    text = ". ".join([subject.rstrip(". "), *facts])
    return text if len(text) <= MAX_SMS_CHARS else text[: MAX_SMS_CHARS - 1] + "…"
