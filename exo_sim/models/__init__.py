"""Bodies for the simulation: myo-sim musculoskeletal legs wearing the hip exo, built with MjSpec."""

from exo_sim.models.build import ModelIndex, SimModel, build_model, standing_height_m
from exo_sim.models.config import BodyConfig, ExoConfig

__all__ = ["BodyConfig", "ExoConfig", "ModelIndex", "SimModel", "build_model", "standing_height_m"]
