"""Trial reports: a bag in, torque/gait figures (PNG) and a markdown summary out."""

from exo_control.report.build import Report, make_report
from exo_control.report.load import TrialData, load_trial

__all__ = ["Report", "TrialData", "load_trial", "make_report"]
