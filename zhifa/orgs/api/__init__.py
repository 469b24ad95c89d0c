"""The orgs API, mounted by zhifa/api.py: `entities` (regions, enforcement entities, internal units,
legal advisers) and `people` (officers, their certificates and training records)."""
