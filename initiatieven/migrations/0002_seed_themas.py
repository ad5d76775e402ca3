from django.db import migrations

THEMAS = [
    ("ontmoeting", "Ontmoeting"),
    ("eenzaamheid", "Eenzaamheid"),
    ("ouderen", "Ouderen"),
    ("jeugd", "Jeugd"),
    ("gezondheid-sport", "Gezondheid en sport"),
    ("groen-buitenruimte", "Groen en buitenruimte"),
    ("taal", "Taal"),
    ("geldzaken", "Geldzaken"),
    ("wonen", "Wonen"),
    ("cultuur", "Cultuur"),
    ("duurzaamheid", "Duurzaamheid"),
    ("veiligheid", "Veiligheid"),
    ("eten", "Eten"),
    ("klussen-repair", "Klussen en repareren"),
]


def seed(apps, schema_editor):
    Thema = apps.get_model("initiatieven", "Thema")
    for order, (code, name) in enumerate(THEMAS, start=1):
        Thema.objects.update_or_create(
            code=code, defaults={"name": name, "order": order, "is_active": True}
        )


def unseed(apps, schema_editor):
    Thema = apps.get_model("initiatieven", "Thema")
    Thema.objects.filter(code__in=[code for code, _ in THEMAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("initiatieven", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
