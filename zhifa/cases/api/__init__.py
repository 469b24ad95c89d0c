"""The cases API (执法办案), mounted by zhifa/api.py: `routes` (list, work queue, detail, creation per
kind, the transitions of the state machine), `schemas` (what it answers) and `payloads` (what it
accepts: one payload per case kind and per transition)."""
