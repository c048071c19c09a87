"""Active force-length factor of the calf muscles over the ankle's range (stop 15 probe).

    python artifacts/teacher/tuning/probes/force_length.py

MuJoCo's muscle curve at each ankle angle, knee straight, other joints at the reference pose, for
myolegs26 as built by default, with ``calf_from_myolegs: 1``, and for myolegs (80 muscles).
"""

from __future__ import annotations

import numpy as np

from exo_sim.models.body import ankle_force_length
from exo_sim.models.build import build_model
from exo_sim.models.config import BodyConfig

ANGLES_DEG = (-20.0, -10.0, 0.0, 10.0, 20.0)


def main() -> None:
    bodies = {"myolegs26": (BodyConfig(name="myolegs26_sagittal"), ("soleus_r", "gastroc_r")),
              "myolegs26, calf_from_myolegs 1": (BodyConfig(name="myolegs26_sagittal", calf_from_myolegs=1.0),
                                                 ("soleus_r", "gastroc_r")),
              "myolegs": (BodyConfig(name="myolegs_sagittal"), ("soleus_r", "gasmed_r", "gaslat_r"))}
    print("ankle angle (deg):", ", ".join(f"{a:+g}" for a in ANGLES_DEG))
    for label, (body, muscles) in bodies.items():
        model = build_model(body).model
        for muscle in muscles:
            peak = model.actuator_gainprm[model.actuator(muscle).id, 2]
            factors = ", ".join(f"{ankle_force_length(model, muscle, np.deg2rad(a)):.2f}" for a in ANGLES_DEG)
            print(f"{label} {muscle} (peak {peak:.0f} N): {factors}")


if __name__ == "__main__":
    main()
