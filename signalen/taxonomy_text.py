"""Names and descriptions of the seeded taxonomy, marked for translation.

The taxonomy lives in the database (beheerders can add entries); the seeded entries' Dutch
names are listed here so `makemessages` finds them and English can be shown. Entries a
beheerder adds later show as typed.
"""

from django.utils.translation import gettext_noop

SEEDED_TAXONOMY_TEXT = [
    gettext_noop("Eenzaamheid"),
    gettext_noop("Weinig contact met anderen, sociaal isolement."),
    gettext_noop("Geldzorgen en schulden"),
    gettext_noop("Rondkomen, betalingsachterstanden, schulden."),
    gettext_noop("Gezondheid"),
    gettext_noop("Lichamelijke klachten, bewegen, voeding, zorg mijden."),
    gettext_noop("Psychische klachten"),
    gettext_noop("Somberheid, angst, verward gedrag, stress."),
    gettext_noop("Wonen en woonoverlast"),
    gettext_noop("Schimmel, onderhoud, vervuiling, overlast, dreigende uitzetting."),
    gettext_noop("Veiligheid"),
    gettext_noop("Onveilig gevoel, criminaliteit, ondermijning."),
    gettext_noop("Jeugd en opvoeding"),
    gettext_noop("Opvoedvragen, jongeren op straat, schoolverzuim."),
    gettext_noop("Mantelzorg"),
    gettext_noop("Overbelaste mantelzorgers, zorg voor een naaste."),
    gettext_noop("Taal en meedoen"),
    gettext_noop("Laaggeletterdheid, Nederlandse taal, meedoen in de buurt."),
    gettext_noop("Werk en dagbesteding"),
    gettext_noop("Geen werk, geen zinvolle dag, vrijwilligerswerk."),
    gettext_noop("Verslaving"),
    gettext_noop("Alcohol, drugs, gokken."),
    gettext_noop("Zorgen over veiligheid thuis"),
    gettext_noop(
        "Algemene zorgen over spanningen of geweld achter de voordeur. Acute zorgen: bel Veilig Thuis of 112."
    ),
    gettext_noop("Digitale vaardigheden"),
    gettext_noop("Moeite met internet, DigiD, online formulieren."),
    gettext_noop("Zelfzorg en dagelijks leven"),
    gettext_noop("Moeite met huishouden, boodschappen, voor zichzelf zorgen."),
    gettext_noop("Overig"),
    gettext_noop("Past nergens anders bij."),
    gettext_noop("Ouderen"),
    gettext_noop("Jongeren"),
    gettext_noop("Ongeveer 12 tot 23 jaar."),
    gettext_noop("Kinderen"),
    gettext_noop("Tot ongeveer 12 jaar."),
    gettext_noop("Gezinnen met kinderen"),
    gettext_noop("Eenoudergezinnen"),
    gettext_noop("Alleenstaanden"),
    gettext_noop("Nieuwkomers en statushouders"),
    gettext_noop("Mantelzorgers"),
    gettext_noop("Mensen met een beperking"),
    gettext_noop("Mensen met een laag inkomen"),
    gettext_noop("Werkenden met weinig geld"),
    gettext_noop("Huurders"),
    gettext_noop("Ondernemers"),
    gettext_noop("Buurtbewoners in het algemeen"),
    gettext_noop("Huisbezoek"),
    gettext_noop("Op straat of bij een ontmoeting"),
    gettext_noop("Spreekuur of inloop"),
    gettext_noop("Partner: huisarts of praktijkondersteuner"),
    gettext_noop("Partner: school of kinderopvang"),
    gettext_noop("Partner: woningcorporatie"),
    gettext_noop("Partner: andere organisatie"),
    gettext_noop("Bewoner zelf"),
    gettext_noop("Eigen waarneming"),
]
