"""Typed errors of the recorder. Every message names the bag or file concerned."""

from __future__ import annotations


class RecorderError(RuntimeError):
    """Base class of recording errors."""


class BagPathError(RecorderError):
    """The bag cannot be created where asked: unwritable or existing path, too little free space."""


class BagWriteError(RecorderError):
    """Writing failed while recording (disk full, I/O error); data after the last flush is lost."""


class BagRecoveryError(RecorderError):
    """A bag could not be recovered (no MCAP file, no readable chunk)."""
