"""The API's shared plumbing (ground: imports no app): the acting user, scoped look-ups, schemas and
list filters (`base`), the Chinese JSON errors (`errors`), authentication by session or token and
its routes (`auth`), and the change log of any scoped record (`changelog`).

Each app's own routers live in `zhifa/<app>/api.py` (or `api/`); `zhifa/api.py` mounts them all.
"""
