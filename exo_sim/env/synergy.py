"""Fixed, non-negative synergy matrix from the locomotor modules of the literature (no motion capture).

Modules (REFERENCE.md): Clark et al. 2010 (4 modules) and Neptune et al. 2009 (5 modules);
membership mapped onto myo-sim muscle names of both bodies. Weight 1 = a named member of the
module, 0.5 = a synergist we add to cover a muscle the 8-16 muscle EMG studies did not record
(our assumption, stated so it can be revisited).
"""

from __future__ import annotations

import numpy as np

_M1 = {  # weight acceptance: gluteus medius/maximus, vasti, rectus femoris
    "abd": 1.0, "glutmax": 1.0, "vasti": 1.0, "rectfem": 0.5,
    "glmed1": 1.0, "glmed2": 1.0, "glmed3": 1.0, "glmax1": 1.0, "glmax2": 1.0, "glmax3": 1.0,
    "glmin1": 0.5, "glmin2": 0.5, "glmin3": 0.5, "vasint": 1.0, "vaslat": 1.0, "vasmed": 1.0,
    "recfem": 0.5, "tfl": 0.5, "piri": 0.5,
}
_M2 = {  # late-stance support and propulsion: soleus, gastrocnemius
    "soleus": 1.0, "gastroc": 1.0, "fdl": 0.5,
    "gasmed": 1.0, "gaslat": 1.0, "fhl": 0.5, "tibpost": 0.5, "perlong": 0.5, "perbrev": 0.5,
}
_M3 = {  # swing, limb clearance: tibialis anterior, rectus femoris (+ toe extensors)
    "tibant": 1.0, "rectfem": 1.0, "edl": 0.5, "recfem": 1.0, "ehl": 0.5,
}
_M4 = {  # late swing deceleration, early stance: hamstrings
    "hamstrings": 1.0, "bifemsh": 1.0, "bflh": 1.0, "bfsh": 1.0, "semimem": 1.0, "semiten": 1.0, "grac": 0.5,
    "addmagDist": 0.5, "addmagIsch": 0.5, "addmagMid": 0.5, "addmagProx": 0.5,  # hip extensors with the hamstrings
}
_M5 = {  # swing initiation: iliopsoas (+ hip-flexing adductors)
    "iliopsoas": 1.0, "add": 0.5, "iliacus": 1.0, "psoas": 1.0, "sart": 0.5, "addlong": 0.5, "addbrev": 0.5,
}
_M6 = {  # frontal-plane hip control (extra module, beyond the 5 of the literature)
    "add": 1.0, "abd": 0.5, "addlong": 1.0, "addbrev": 1.0, "addmagDist": 1.0, "addmagIsch": 1.0,
    "addmagMid": 1.0, "addmagProx": 1.0, "grac": 1.0, "glmed1": 0.5, "glmed2": 0.5, "glmed3": 0.5,
}
_M7 = {  # foot intrinsic/toe control (extra module)
    "fdl": 1.0, "edl": 1.0, "fhl": 1.0, "ehl": 1.0, "perlong": 1.0, "perbrev": 1.0, "tibpost": 1.0,
}

#: Modules by k: 4 = Clark 2010 (iliopsoas joins the swing module), 5 = Neptune 2009, 6-7 add extras.
MODULES: dict[int, tuple[dict[str, float], ...]] = {
    4: (_M1, _M2, {**_M3, **_M5}, _M4),
    5: (_M1, _M2, _M3, _M4, _M5),
    6: (_M1, _M2, _M3, _M4, _M5, _M6),
    7: (_M1, _M2, _M3, _M4, _M5, _M6, _M7),
}


def _base(name: str) -> str:
    return name[:-2] if name.endswith(("_l", "_r")) else name


def leg_synergy_matrix(leg_muscles: tuple[str, ...], k: int) -> np.ndarray:
    """(n_leg_muscles, k) non-negative matrix; column j = module j's weight of each muscle.

    Columns are scaled to a maximum of 1. Raises ValueError if a muscle is in no module
    (so a new body cannot silently leave a muscle undriven).
    """
    if k not in MODULES:
        raise ValueError(f"k: {k!r} synergies per leg is not supported; allowed {sorted(MODULES)}")
    w = np.array([[module.get(_base(m), 0.0) for module in MODULES[k]] for m in leg_muscles], dtype=float)
    missing = [m for m, row in zip(leg_muscles, w) if not row.any()]
    if missing:
        raise ValueError(f"muscles in no synergy module for k={k}: {missing}")
    return w / w.max(axis=0, keepdims=True)


def synergy_matrix(muscles: tuple[str, ...], k: int) -> np.ndarray:
    """(n_muscles, 2k) block matrix for all muscles; input order is [left modules, right modules]."""
    w = np.zeros((len(muscles), 2 * k))
    for col, side in enumerate(("_l", "_r")):
        rows = [i for i, m in enumerate(muscles) if m.endswith(side)]
        w[np.ix_(rows, range(col * k, (col + 1) * k))] = leg_synergy_matrix(tuple(muscles[i] for i in rows), k)
    return w
