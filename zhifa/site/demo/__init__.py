"""Demo data generator (`zhifa seed`). See builder.py."""
from zhifa.site.demo.builder import DEMO_LOGINS, DEMO_PASSWORD, SCALES, analyze, demo_logins, is_seeded, seed

__all__ = ["DEMO_LOGINS", "DEMO_PASSWORD", "SCALES", "analyze", "demo_logins", "is_seeded", "seed"]
