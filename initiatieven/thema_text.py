"""Names of the seeded initiative themes (topic tags), marked for translation.

The themes live in the database (initiatieven/migrations/0002_seed_themas.py); their
Dutch names are listed here so `makemessages` finds them and English pages show them
in English (Thema.__str__ translates). A theme a beheerder adds later shows as typed.
"""

from django.utils.translation import gettext_noop

SEEDED_THEMA_TEXT = [
    gettext_noop("Ontmoeting"),
    gettext_noop("Eenzaamheid"),
    gettext_noop("Ouderen"),
    gettext_noop("Jeugd"),
    gettext_noop("Gezondheid en sport"),
    gettext_noop("Groen en buitenruimte"),
    gettext_noop("Taal"),
    gettext_noop("Geldzaken"),
    gettext_noop("Wonen"),
    gettext_noop("Cultuur"),
    gettext_noop("Duurzaamheid"),
    gettext_noop("Veiligheid"),
    gettext_noop("Eten"),
    gettext_noop("Klussen en repareren"),
]
