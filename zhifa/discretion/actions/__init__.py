"""The discretion app's writers: circumstances on a case, the entity's factors, the law library,
the norms. Each is one transaction, keyword-only acting_user, named rules, change log + ledger."""
from zhifa.discretion.actions.circumstances import do_add_factor, do_set_circumstances
from zhifa.discretion.actions.laws import do_load_law
from zhifa.discretion.actions.norms import do_add_norm

__all__ = ["do_add_factor", "do_add_norm", "do_load_law", "do_set_circumstances"]
