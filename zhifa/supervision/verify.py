"""The supervision app's part of `zhifa verify`: fields that change without a change-log row."""
from zhifa.ledger import drift

# The daily recomputation (alerts.recompute_alerts) moves these for every alert still found;
# opening and closing an alert is change-logged.
drift.exempt("supervision.alert", "last_seen", "holding", why="预警每日重算时刷新")
