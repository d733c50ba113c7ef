"""Schema for issue 15: a round's places, the household flag, benefit caps per year or per event,
the relative a death benefit is for (a choice); the unused `internal_notes` goes."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("welfare", "0004_labels")]

    operations = [
        migrations.AddField(
            model_name="aidround",
            name="places",
            field=models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="名额"),
        ),
        migrations.AddField(
            model_name="aidcase",
            name="household_clash",
            field=models.BooleanField(default=False, verbose_name="家庭成员另有申请"),
        ),
        migrations.RemoveField(model_name="aidcase", name="internal_notes"),
        migrations.RenameField(model_name="benefitcap", old_name="yearly_cap", new_name="cap"),
        migrations.AddField(
            model_name="benefitcap",
            name="per",
            field=models.CharField(default="event", max_length=10, verbose_name="上限计算"),
        ),
        migrations.AddField(
            model_name="benefit",
            name="relative",
            field=models.CharField(default="self", max_length=10, null=True, verbose_name="慰问对象"),
        ),
        migrations.RemoveConstraint(model_name="benefit", name="welfare_benefit_event_paid_once"),
    ]
