"""Walking env of a body wearing the hip exo: gymnasium single env and a batched form."""

from exo_sim.env.config import (
    ActionConfig,
    ConditionConfig,
    DeviceSensorConfig,
    EnvConfig,
    RewardConfig,
)
from exo_sim.env.single import WalkEnv
from exo_sim.env.walk import WalkVecEnv

__all__ = [
    "ActionConfig", "ConditionConfig", "DeviceSensorConfig", "EnvConfig", "RewardConfig", "WalkEnv", "WalkVecEnv",
]
