"""`glmplan doctor`: checks with a status (ok / warn / fail), an explanation and the fix."""

from glmplan.doctor.model import Check, Level

__all__ = ["Check", "Level"]
