"""Assistant definition model: flows, steps, domain."""

from engine.model.domain import Domain, Slot, Variation
from engine.model.flows import END, START, Flow, Link, Rejection, Step

__all__ = ["Domain", "END", "Flow", "Link", "Rejection", "START", "Slot", "Step", "Variation"]
