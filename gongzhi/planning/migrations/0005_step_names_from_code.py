"""Step names come from code (models.DEFAULT_STEP_NAMES) and follow the reader's
language; a town's rename is kept as an override.

The stored ``title`` becomes ``title_zh`` (titles were written in Chinese) and an
empty ``title_en`` is added. A title equal to the default loop's Chinese name of the
step at that order is cleared, so the step follows the code's translated name; any
other title is a rename and stays as the Chinese override (its English is blank, so
English readers see the code's English name of the step)."""

from django.db import migrations, models

# The default template's Chinese names as they were written (services.DEFAULT_STEPS
# before this migration), by order and kind.
DEFAULT_ZH = {
    (1, "survey"): "社区调研",
    (2, "interviews"): "居民访谈",
    (3, "drafts"): "多稿设计",
    (4, "participatory_design"): "居民参与设计",
    (5, "adjustment"): "方案调整",
    (6, "joint_meeting"): "联席会讨论",
    (7, "optimisation"): "方案优化",
    (8, "consultation"): "公众咨询",
    (9, "revision"): "方案修改",
    (10, "joint_meeting"): "联席会讨论（二）",
    (11, "public_notice"): "方案公示",
}


def clear_default_titles(apps, schema_editor):
    TemplateStep = apps.get_model("planning", "TemplateStep")
    for (order, kind), title in DEFAULT_ZH.items():
        TemplateStep.objects.filter(order=order, kind=kind, title_zh=title).update(title_zh="")


def restore_titles(apps, schema_editor):
    TemplateStep = apps.get_model("planning", "TemplateStep")
    for (order, kind), title in DEFAULT_ZH.items():
        TemplateStep.objects.filter(order=order, kind=kind, title_zh="").update(title_zh=title)


class Migration(migrations.Migration):
    dependencies = [("planning", "0004_objection_written_at")]

    operations = [
        migrations.RenameField(model_name="templatestep", old_name="title", new_name="title_zh"),
        migrations.AlterField(
            model_name="templatestep",
            name="title_zh",
            field=models.CharField(
                blank=True,
                help_text="Leave empty to use the step's standard name.",
                max_length=60,
                verbose_name="name in Chinese",
            ),
        ),
        migrations.AddField(
            model_name="templatestep",
            name="title_en",
            field=models.CharField(
                blank=True,
                help_text="Leave empty to use the step's standard name.",
                max_length=60,
                verbose_name="name in English",
            ),
        ),
        migrations.RunPython(clear_default_titles, restore_titles),
    ]
