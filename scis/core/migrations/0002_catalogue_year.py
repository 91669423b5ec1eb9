from django.db import migrations, models
from django.db.models.functions import ExtractYear


def fill_years(apps, schema_editor):
    entries = apps.get_model("core", "CatalogueEntry")
    entries.objects.update(year=ExtractYear("date"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_catalogue")]

    operations = [
        migrations.AddField(
            model_name="catalogueentry",
            name="year",
            field=models.PositiveSmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.RunPython(fill_years, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="catalogueentry",
            index=models.Index(fields=["language", "year"], name="catalogue_by_year"),
        ),
    ]
