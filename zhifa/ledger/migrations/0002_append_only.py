"""Database triggers refusing UPDATE and DELETE (and TRUNCATE on PostgreSQL) on the ledger's
append-only tables. LedgerHead is not among them: it is updated by every append."""
from django.db import migrations

from zhifa.ledger.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [
        AppendOnly("LedgerEntry"),
        AppendOnly("LedgerNode"),
        AppendOnly("TreeHead"),
    ]
