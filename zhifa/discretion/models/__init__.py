"""The discretion app's models: circumstances and the suggestion on a case, the profiles of decided
cases the similar-case index is built from, the law library, the norms shown at the point of use."""
from zhifa.discretion.models.circumstances import CaseCircumstances, Factor
from zhifa.discretion.models.laws import LawArticle, LawText
from zhifa.discretion.models.norms import Norm
from zhifa.discretion.models.similar import DecidedProfile

__all__ = ["CaseCircumstances", "DecidedProfile", "Factor", "LawArticle", "LawText", "Norm"]
