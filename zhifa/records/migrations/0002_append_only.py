"""Record versions and the access log are append-only in the database itself."""
from django.db import migrations

from zhifa.ledger.appendonly import AppendOnly


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial"), ("ledger", "0002_append_only")]

    operations = [AppendOnly("RecordVersion"), AppendOnly("AccessLog")]
