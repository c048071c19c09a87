"""The student: a small causal temporal-convolutional network, thigh gyro history -> hip torques.

Input [batch, 2, history] (left/right flexion-positive thigh rate, rad/s, oldest first);
output [batch, 2] (left/right hip torque, Nm, flexion positive), bounded to +/-torque_limit_nm
by a tanh so no input can ask for more than the assistance cap.
Causal dilated convolutions in residual blocks, as in the gait-estimation TCNs of the lab
(REFERENCE.md), sized down for a 100-200 Hz loop on one CPU core.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from exo_interfaces.params import param


@dataclass(frozen=True, kw_only=True)
class StudentConfig:
    """Architecture and I/O of the student."""

    rate_hz: float = param(100.0, "Gyro sample and inference rate (Hz).", ge=50.0, le=500.0)
    history: int = param(100, "Gyro samples per input window.", ge=8, le=1000)
    channels: int = param(32, "Channels of every residual block.", ge=4, le=256)
    kernel_size: int = param(3, "Temporal kernel size.", ge=2, le=9)
    dilations: tuple[int, ...] = param((1, 2, 4, 8), "Dilation of each residual block.", ge=1, le=64)
    dropout: float = param(0.05, "Dropout inside blocks (training only).", ge=0.0, lt=1.0)
    torque_limit_nm: float = param(15.0, "Output bound (Nm).", gt=0.0, le=18.0)
    input_scale_rps: float = param(3.0, "Gyro normalisation: input divided by this (rad/s).", gt=0.0)

    @property
    def receptive_field(self) -> int:
        return 1 + 2 * (self.kernel_size - 1) * sum(self.dilations)


class _CausalBlock(nn.Module):
    def __init__(self, channels_in: int, channels: int, kernel: int, dilation: int, dropout: float):
        super().__init__()
        self.pad = (kernel - 1) * dilation
        self.conv1 = nn.Conv1d(channels_in, channels, kernel, dilation=dilation)
        self.conv2 = nn.Conv1d(channels, channels, kernel, dilation=dilation)
        self.act = nn.ReLU()
        self.drop = nn.Dropout(dropout)
        self.skip = nn.Conv1d(channels_in, channels, 1) if channels_in != channels else nn.Identity()

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        # Left padding only: the output at time t never sees samples after t.
        y = self.drop(self.act(self.conv1(nn.functional.pad(x, (self.pad, 0)))))
        y = self.drop(self.act(self.conv2(nn.functional.pad(y, (self.pad, 0)))))
        return self.act(y + self.skip(x))


class StudentTCN(nn.Module):
    def __init__(self, config: StudentConfig):
        super().__init__()
        self.config = config
        blocks = []
        c_in = 2
        for d in config.dilations:
            blocks.append(_CausalBlock(c_in, config.channels, config.kernel_size, d, config.dropout))
            c_in = config.channels
        self.blocks = nn.Sequential(*blocks)
        self.head = nn.Linear(config.channels, 2)

    def forward(self, gyro_history: torch.Tensor) -> torch.Tensor:
        x = gyro_history / self.config.input_scale_rps
        features = self.blocks(x)[:, :, -1]
        return self.config.torque_limit_nm * torch.tanh(self.head(features))
