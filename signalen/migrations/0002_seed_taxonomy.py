"""Seed the taxonomy as a wijkteam names things.

Based on the ZRM domains, the participation ladder and Positive Health
(../shared/data/vocab/social_domain_vocab.json), in the words professionals use
between two home visits. Codes are stable; names can be changed by beheerders.
"""

from django.db import migrations

CATEGORIES = [
    ("eenzaamheid", "Eenzaamheid", "Weinig contact met anderen, sociaal isolement."),
    ("geldzorgen-schulden", "Geldzorgen en schulden", "Rondkomen, betalingsachterstanden, schulden."),
    ("gezondheid", "Gezondheid", "Lichamelijke klachten, bewegen, voeding, zorg mijden."),
    ("psychische-klachten", "Psychische klachten", "Somberheid, angst, verward gedrag, stress."),
    ("wonen-woonoverlast", "Wonen en woonoverlast", "Schimmel, onderhoud, vervuiling, overlast, dreigende uitzetting."),
    ("veiligheid", "Veiligheid", "Onveilig gevoel, criminaliteit, ondermijning."),
    ("jeugd-opvoeding", "Jeugd en opvoeding", "Opvoedvragen, jongeren op straat, schoolverzuim."),
    ("mantelzorg", "Mantelzorg", "Overbelaste mantelzorgers, zorg voor een naaste."),
    ("taal-meedoen", "Taal en meedoen", "Laaggeletterdheid, Nederlandse taal, meedoen in de buurt."),
    ("werk-dagbesteding", "Werk en dagbesteding", "Geen werk, geen zinvolle dag, vrijwilligerswerk."),
    ("verslaving", "Verslaving", "Alcohol, drugs, gokken."),
    ("huiselijk-geweld-zorgen", "Zorgen over veiligheid thuis", "Algemene zorgen over spanningen of geweld achter de voordeur. Acute zorgen: bel Veilig Thuis of 112."),
    ("digitale-vaardigheden", "Digitale vaardigheden", "Moeite met internet, DigiD, online formulieren."),
    ("zelfzorg-dagelijks-leven", "Zelfzorg en dagelijks leven", "Moeite met huishouden, boodschappen, voor zichzelf zorgen."),
    ("overig", "Overig", "Past nergens anders bij."),
]

DOELGROEPEN = [
    ("ouderen", "Ouderen", ""),
    ("jongeren", "Jongeren", "Ongeveer 12 tot 23 jaar."),
    ("kinderen", "Kinderen", "Tot ongeveer 12 jaar."),
    ("gezinnen-met-kinderen", "Gezinnen met kinderen", ""),
    ("eenoudergezinnen", "Eenoudergezinnen", ""),
    ("alleenstaanden", "Alleenstaanden", ""),
    ("nieuwkomers", "Nieuwkomers en statushouders", ""),
    ("mantelzorgers", "Mantelzorgers", ""),
    ("mensen-met-een-beperking", "Mensen met een beperking", ""),
    ("mensen-met-laag-inkomen", "Mensen met een laag inkomen", ""),
    ("werkenden-met-weinig-geld", "Werkenden met weinig geld", ""),
    ("huurders", "Huurders", ""),
    ("ondernemers", "Ondernemers", ""),
    ("buurtbewoners-algemeen", "Buurtbewoners in het algemeen", ""),
]

BRONNEN = [
    ("huisbezoek", "Huisbezoek", ""),
    ("straat-ontmoeting", "Op straat of bij een ontmoeting", ""),
    ("spreekuur", "Spreekuur of inloop", ""),
    ("partner-huisarts", "Partner: huisarts of praktijkondersteuner", ""),
    ("partner-school", "Partner: school of kinderopvang", ""),
    ("partner-woningcorporatie", "Partner: woningcorporatie", ""),
    ("partner-overig", "Partner: andere organisatie", ""),
    ("bewoner-zelf", "Bewoner zelf", ""),
    ("eigen-waarneming", "Eigen waarneming", ""),
]


def seed(apps, schema_editor):
    for model_name, rows in (
        ("Categorie", CATEGORIES),
        ("Doelgroep", DOELGROEPEN),
        ("Bron", BRONNEN),
    ):
        model = apps.get_model("signalen", model_name)
        for order, (code, name, description) in enumerate(rows, start=1):
            model.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "description": description,
                    "order": order * 10,
                    "is_active": True,
                },
            )


def unseed(apps, schema_editor):
    # Only entries that no signal uses; used ones are PROTECTed anyway.
    for model_name, rows in (
        ("Categorie", CATEGORIES),
        ("Doelgroep", DOELGROEPEN),
        ("Bron", BRONNEN),
    ):
        model = apps.get_model("signalen", model_name)
        model.objects.filter(
            code__in=[code for code, _name, _description in rows],
            signalen__isnull=True,
        ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("signalen", "0001_signalen_taxonomy_signaal_audit"),
    ]

    operations = [migrations.RunPython(seed, unseed)]
