# Search indexes for the public portal (zhifa/disclosure/search.py explains the design).

from django.db import migrations, models

from zhifa.disclosure.search import SQLITE_BACKWARD, SQLITE_FILL, SQLITE_FORWARD

PG_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    # Keep the matched column inline and uncompressed (the long texts go to TOAST instead):
    # the search reads it for thousands of rows per query.
    "ALTER TABLE disclosure_publication ALTER COLUMN search_text SET STORAGE MAIN",
    "CREATE INDEX disclosure_pub_search_tsv ON disclosure_publication "
    "USING gin (to_tsvector('simple'::regconfig, search_tokens))",
    "CREATE INDEX disclosure_pub_search_trgm ON disclosure_publication USING gin (search_text gin_trgm_ops)",
]
PG_BACKWARD = [
    "DROP INDEX IF EXISTS disclosure_pub_search_trgm",
    "DROP INDEX IF EXISTS disclosure_pub_search_tsv",
    "ALTER TABLE disclosure_publication ALTER COLUMN search_text SET STORAGE EXTENDED",
]
# Both engines: newest-first paging (the search probe, the home page's latest list).
COMMON_FORWARD = [
    "CREATE INDEX disclosure_pub_published_id ON disclosure_publication (published_on, id)",
    "CREATE INDEX disclosure_pub_entity_published ON disclosure_publication (entity_id, published_on, id)",
    "CREATE INDEX disclosure_pub_decided_id ON disclosure_publication (decided_on, id)",
    "CREATE INDEX disclosure_pub_category_published ON disclosure_publication (category, published_on, id)",
]
COMMON_BACKWARD = [
    "DROP INDEX IF EXISTS disclosure_pub_published_id",
    "DROP INDEX IF EXISTS disclosure_pub_entity_published",
    "DROP INDEX IF EXISTS disclosure_pub_decided_id",
    "DROP INDEX IF EXISTS disclosure_pub_category_published",
]


def _run(statements):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)
    return run


def backfill(apps, schema_editor):
    """Segment the rows that exist already (the triggers/generated column index them)."""
    from zhifa.disclosure.search import tokens

    Publication = apps.get_model("disclosure", "Publication")
    for pk, text in Publication.objects.values_list("pk", "search_text").iterator():
        Publication.objects.filter(pk=pk).update(search_tokens=tokens(text))


def sqlite_fill(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for sql in SQLITE_FILL:
            schema_editor.execute(sql)


class Migration(migrations.Migration):

    dependencies = [
        ('disclosure', '0004_publication_period'),
    ]

    operations = [
        migrations.AddField(
            model_name='publication',
            name='search_tokens',
            field=models.TextField(blank=True, editable=False, verbose_name='分词检索文本'),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(_run({"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}),
                             _run({"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD})),
        migrations.RunPython(sqlite_fill, migrations.RunPython.noop),
        migrations.RunPython(_run({"postgresql": COMMON_FORWARD, "sqlite": COMMON_FORWARD}),
                             _run({"postgresql": COMMON_BACKWARD, "sqlite": COMMON_BACKWARD})),
    ]
