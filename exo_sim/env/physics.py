"""The one place where physics runs: N (model, data) pairs advanced by ``substeps`` steps together.

A GPU port (MuJoCo Warp) replaces this class; everything else in the env works on the
(N, ...) arrays it exposes: ``qpos``, ``qvel``, ``act``, ``sensordata`` (after the last substep).

Backends:
- ``threads``: a thread pool; each worker calls ``mj_step(m, d, nstep)`` on its share of the
  envs (MuJoCo releases the GIL inside mj_step).
- ``rollout``: ``mujoco.rollout`` with a persistent pool; states travel as arrays. Warm start
  is reset to zero at each call (the rollout does not return it), which keeps results
  independent of thread scheduling.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Literal

import mujoco
import numpy as np
from mujoco import rollout

logger = logging.getLogger(__name__)

Backend = Literal["threads", "rollout"]
_STATE = mujoco.mjtState.mjSTATE_FULLPHYSICS


class BatchPhysics:
    """Steps N envs; each env has its own MjModel copy (per-env gravity, i.e. slope)."""

    def __init__(self, models: list[mujoco.MjModel], substeps: int, *, backend: Backend = "threads",
                 nthread: int = 0) -> None:
        if backend not in ("threads", "rollout"):
            raise ValueError(f"backend: {backend!r} is not one of 'threads', 'rollout'")
        self.models = models
        self.datas = [mujoco.MjData(m) for m in models]
        self.substeps = substeps
        self.backend = backend
        n = len(models)
        m0 = models[0]
        self.nthread = max(1, min(nthread or (os.cpu_count() or 1), n))
        self.qpos = np.zeros((n, m0.nq))
        self.qvel = np.zeros((n, m0.nv))
        self.act = np.zeros((n, m0.na))
        self.sensordata = np.zeros((n, m0.nsensordata))
        self.ctrl = np.zeros((n, m0.nu))
        # External wrench per body (world frame: force, torque), applied in every step; training aids only.
        self.xfrc_applied = np.zeros((n, m0.nbody, 6))
        chunks = np.array_split(np.arange(n), self.nthread)
        self._chunks = [c for c in chunks if len(c)]
        self._pool = ThreadPoolExecutor(self.nthread) if backend == "threads" and self.nthread > 1 else None
        if backend == "rollout":
            size = mujoco.mj_stateSize(m0, _STATE)
            self._state = np.zeros((n, size))
            # Output buffers per step count (contiguous, as rollout writes them whole).
            self._out: dict[int, tuple[np.ndarray, np.ndarray]] = {}
            self._size = size
            self._warm = np.zeros((n, m0.nv))
            self._thread_datas = [mujoco.MjData(m0) for _ in range(self.nthread)]
            self._runner = rollout.Rollout(nthread=self.nthread)
            # State layout of mjSTATE_FULLPHYSICS: time, qpos, qvel, act, ...
            self._sl_qpos = slice(1, 1 + m0.nq)
            self._sl_qvel = slice(1 + m0.nq, 1 + m0.nq + m0.nv)
            self._sl_act = slice(1 + m0.nq + m0.nv, 1 + m0.nq + m0.nv + m0.na)
        for i in range(n):
            self.sync_from_data(i)

    def close(self) -> None:
        """Stop worker threads."""
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        if self.backend == "rollout":
            self._runner.close()

    def sync_from_data(self, i: int) -> None:
        """Take env i's state from its MjData (after a reset that set qpos/qvel and ran mj_forward)."""
        d = self.datas[i]
        self.qpos[i] = d.qpos
        self.qvel[i] = d.qvel
        self.act[i] = d.act
        self.sensordata[i] = d.sensordata
        if self.backend == "rollout":
            mujoco.mj_getState(self.models[i], d, self._state[i], _STATE)

    def _step_chunk(self, idx: np.ndarray, nstep: int) -> None:
        for i in idx:
            m, d = self.models[i], self.datas[i]
            d.ctrl[:] = self.ctrl[i]
            d.xfrc_applied[:] = self.xfrc_applied[i]
            mujoco.mj_step(m, d, nstep=nstep)
            self.qpos[i] = d.qpos
            self.qvel[i] = d.qvel
            self.act[i] = d.act
            self.sensordata[i] = d.sensordata

    def step(self, ctrl: np.ndarray, nstep: int | None = None) -> None:
        """Hold ``ctrl`` (N, nu) for ``nstep`` (default ``substeps``) physics steps in every env."""
        nstep = self.substeps if nstep is None else nstep
        if not 1 <= nstep <= self.substeps:
            raise ValueError(f"nstep: {nstep} is out of range; allowed [1, {self.substeps}]")
        self.ctrl[:] = ctrl
        if self.backend == "rollout":
            if self.xfrc_applied.any():
                raise ValueError("xfrc_applied: external wrenches need the 'threads' backend; 'rollout' steps controls only")
            n = len(self.models)
            if nstep not in self._out:
                self._out[nstep] = (np.zeros((n, nstep, self._size)), np.zeros((n, nstep, self.sensordata.shape[1])))
            out_state, out_sens = self._out[nstep]
            self._runner.rollout(
                self.models, self._thread_datas, self._state, self.ctrl[:, None, :].repeat(nstep, axis=1),
                nstep=nstep, initial_warmstart=self._warm, state=out_state,
                sensordata=out_sens, skip_checks=True,
            )
            self._state[:] = out_state[:, -1]
            self.qpos[:] = self._state[:, self._sl_qpos]
            self.qvel[:] = self._state[:, self._sl_qvel]
            self.act[:] = self._state[:, self._sl_act]
            self.sensordata[:] = out_sens[:, -1]
        elif self._pool is None:
            self._step_chunk(np.arange(len(self.models)), nstep)
        else:
            for future in [self._pool.submit(self._step_chunk, c, nstep) for c in self._chunks]:
                future.result()
