from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "0004_milestone_periods_as_printed")]

    operations = [
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('precision__in', ('day', 'month', 'fiscal_half', 'fiscal_year', 'span', 'open'))), name='milestone_precision_known', violation_error_message='時期の単位を選んでください。'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('ends_on__isnull', False), ('precision', 'span')), models.Q(models.Q(('precision', 'span'), _negated=True), ('ends_on__isnull', True)), _connector='OR'), name='milestone_end_only_for_a_span', violation_error_message='終了日は時期の単位が「期間」のときだけ、必ず入力してください。'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('ends_on__isnull', True), ('ends_on__gte', models.F('starts_on')), _connector='OR'), name='milestone_ends_after_it_starts', violation_error_message='終了日は開始日以降の日付にしてください。'),
        ),
        migrations.AddConstraint(
            model_name='milestone',
            constraint=models.CheckConstraint(condition=models.Q(('relative', False), ('precision__in', ['span', 'open']), _connector='OR'), name='milestone_relative_only_for_spans', violation_error_message='「前の時期から数える」は時期の単位が「期間」か「開始以降」のときだけです。'),
        ),
    ]
