"""Pre-aggregated supervision figures (zhifa.supervision.figures.refresh_rollup): per entity, year, case
kind and open/finished, every figure of figures.metrics. Built by the background alerts task; pages read it
for the entities unchanged since (figures.split_rollup), so a province's home does not aggregate a million
cases on every request. Not user data: no scope, no change log."""
from django.db import models

MONEY = dict(max_digits=18, decimal_places=2)


class FigureRollup(models.Model):
    entity = models.ForeignKey("orgs.Entity", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField(null=True)
    kind = models.CharField(max_length=20)
    is_open = models.BooleanField()
    n_all = models.PositiveIntegerField(default=0)
    n_decided = models.PositiveIntegerField(default=0)
    n_fined = models.PositiveIntegerField(default=0)
    n_hearing = models.PositiveIntegerField(default=0)
    n_reviewed = models.PositiveIntegerField(default=0)
    n_published = models.PositiveIntegerField(default=0)
    n_overdue = models.PositiveIntegerField(default=0)
    # overdue as of the next day: pages read it from midnight until the nightly rebuild
    n_overdue_next = models.PositiveIntegerField(default=0)
    sum_fines = models.DecimalField(default=0, **MONEY)

    class Meta:
        indexes = [models.Index(fields=["entity", "year"], name="figure_rollup_entity_year")]


class FigureRollupState(models.Model):
    """One row: what the rollup was built from (figures.rollup_fresh compares)."""

    built_for = models.DateField()
    case_max = models.BigIntegerField(default=0)
    event_max = models.BigIntegerField(default=0)
    built_at = models.DateTimeField(auto_now=True)
    seconds = models.FloatField(default=0)
