"""A rosbag2 (MCAP) bag written by a background thread, flushed in chunks so a crash loses little.

The caller (the recorder node, on the executor thread) only serialises and enqueues: ``put`` never
blocks and never raises. A writer thread owns rosbags' ``Writer``; it closes the current MCAP chunk
and flushes it to disk (optionally fsync) when the chunk reaches ``chunk_size_bytes`` or when
``flush_period_s`` has passed, so a killed recorder leaves every message up to the last flush
readable (see :mod:`exo_control.recording.recovery`). A full queue drops messages and counts them;
a write error (disk full) is logged at once, kept in :attr:`BagWriter.error` and raised by
:meth:`BagWriter.close`.
"""

from __future__ import annotations

import logging
import os
import queue
import shutil
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rosbags.interfaces import Connection
from rosbags.rosbag2 import StoragePlugin, Writer
from rosbags.rosbag2.storage_mcap import McapWriter
from rosbags.typesys.store import Typestore

from exo_control.recording.errors import BagPathError, BagWriteError
from exo_control.recording.metadata import BAG_VERSION, TopicCount, write_metadata
from exo_control.recording.qos import offered_qos
from exo_control.recording.trial import STATE_COMPLETE, STATE_KEY, STATE_RECORDING
from exo_interfaces.contract import Topic

log = logging.getLogger(__name__)

_STOP = object()
#: Messages the writer thread takes from the queue at once, and how often it yields the GIL meanwhile.
_BATCH = 512
_YIELD_EVERY = 16


@dataclass
class WriterStats:
    """Counters of one bag; read from any thread (plain ints, updated by one thread each)."""

    enqueued: int = 0
    written: int = 0
    dropped: int = 0
    bytes_written: int = 0
    flushes: int = 0
    queue_high_water: int = 0
    per_topic: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "enqueued": self.enqueued, "written": self.written, "dropped": self.dropped,
            "bytes_written": self.bytes_written, "flushes": self.flushes,
            "queue_high_water": self.queue_high_water,
        }


class BagWriter:
    """One bag: ``open()``, ``put()`` from the executor, ``close()``. Also a context manager."""

    def __init__(
        self,
        path: str | Path,
        topics: Sequence[Topic],
        typestore: Typestore,
        *,
        custom_data: Mapping[str, str] | None = None,
        chunk_size_bytes: int = 262_144,
        flush_period_s: float = 0.5,
        fsync: bool = True,
        queue_size: int = 100_000,
        min_free_mb: float = 0.0,
    ) -> None:
        self.path = Path(path)
        self.topics = tuple(topics)
        self.typestore = typestore
        self.custom_data = dict(custom_data or {})
        self.chunk_size_bytes = chunk_size_bytes
        self.flush_period_s = flush_period_s
        self.fsync = fsync
        self.min_free_mb = min_free_mb
        self.stats = WriterStats(per_topic={t.name: 0 for t in self.topics})
        self.error: BagWriteError | None = None
        self._queue: queue.Queue[Any] = queue.Queue(maxsize=queue_size)
        self._writer: Writer | None = None
        self._connections: dict[str, Connection] = {}
        self._thread: threading.Thread | None = None
        self._closed = False

    # -- start ---------------------------------------------------------------------------------
    def check_path(self) -> None:
        """Raise BagPathError unless the bag folder can be created and its disk has room."""
        if self.path.exists():
            raise BagPathError(f"bag folder {self.path} exists already; choose a new name (one bag per trial)")
        parent = self.path.parent
        try:
            parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BagPathError(f"cannot create folder {parent} for bag {self.path.name}: {exc.strerror or exc}") from exc
        if not parent.is_dir():
            raise BagPathError(f"cannot record into {parent}: not a folder")
        if not os.access(parent, os.W_OK | os.X_OK):
            raise BagPathError(f"cannot record into {parent}: folder is not writable")
        free_mb = shutil.disk_usage(parent).free / 1e6
        if free_mb < self.min_free_mb:
            raise BagPathError(
                f"cannot record into {parent}: {free_mb:.0f} MB free, the recorder needs at least "
                f"{self.min_free_mb:.0f} MB (recorder.min_free_mb)"
            )

    def open(self) -> None:
        """Create the bag (metadata written provisionally) and start the writer thread."""
        self.check_path()
        writer = Writer(self.path, version=BAG_VERSION, storage_plugin=StoragePlugin.MCAP)
        try:
            writer.open()
        except OSError as exc:
            raise BagPathError(f"cannot create bag {self.path}: {exc.strerror or exc}") from exc
        for topic in self.topics:
            self._connections[topic.name] = writer.add_connection(
                topic.name, topic.msgtype, typestore=self.typestore, offered_qos_profiles=offered_qos(topic)
            )
        self._writer = writer
        try:
            self._write_metadata(STATE_RECORDING, counts=None)
        except OSError as exc:
            writer.abort()
            raise BagPathError(f"cannot write {self.path / 'metadata.yaml'}: {exc.strerror or exc}") from exc
        self._thread = threading.Thread(target=self._run, name=f"bag-writer:{self.path.name}", daemon=True)
        self._thread.start()
        log.info("recording %d topics to %s", len(self.topics), self.path)

    def _write_metadata(self, state: str, counts: Mapping[str, int] | None) -> None:
        topics = [
            TopicCount(c.topic, c.msgtype, offered_qos(t), c.digest, (counts or {}).get(c.topic, 0))
            for t, c in ((t, self._connections[t.name]) for t in self.topics)
        ]
        write_metadata(self.path, mcap_name=f"{self.path.name}.mcap", topics=topics, start_ns=0, end_ns=0,
                       custom_data={**self.custom_data, STATE_KEY: state})

    # -- executor side -------------------------------------------------------------------------
    def put(self, topic: str, timestamp_ns: int, data: Any) -> bool:
        """Queue one message (CDR ``bytes``, or a message object the writer thread serialises).

        Returns False (and counts a drop) when the queue is full or writing failed; never blocks,
        never raises. A message object must not be changed after it is put (as after publishing).
        """
        if self.error is not None or self._closed:
            self.stats.dropped += 1
            return False
        try:
            self._queue.put_nowait((topic, timestamp_ns, data))
        except queue.Full:
            self.stats.dropped += 1
            return False
        self.stats.enqueued += 1
        depth = self._queue.qsize()
        if depth > self.stats.queue_high_water:
            self.stats.queue_high_water = depth
        return True

    # -- writer thread -------------------------------------------------------------------------
    def _run(self) -> None:
        writer = self._writer
        if writer is None or not isinstance(writer.storage, McapWriter):
            self._fail(TypeError(f"bag {self.path}: expected an open writer with the MCAP storage plugin"))
            return
        storage = writer.storage
        last_flush = time.monotonic()
        while True:
            timeout = max(0.0, self.flush_period_s - (time.monotonic() - last_flush))
            batch: list[Any] = []
            try:
                batch.append(self._queue.get(timeout=timeout))
                while len(batch) < _BATCH:
                    batch.append(self._queue.get_nowait())
            except queue.Empty:
                pass
            try:
                for i, item in enumerate(batch):
                    if item is _STOP:
                        return
                    topic, stamp, payload = item
                    conn = self._connections[topic]
                    data = payload if isinstance(payload, bytes) else self.typestore.serialize_cdr(payload, conn.msgtype)
                    writer.write(conn, stamp, data)
                    self.stats.written += 1
                    self.stats.per_topic[topic] += 1
                    self.stats.bytes_written += len(data)
                    if i % _YIELD_EVERY == _YIELD_EVERY - 1:
                        time.sleep(0)  # hand the GIL to the executor: never hold it for long
                due = time.monotonic() - last_flush >= self.flush_period_s
                if storage.chunk.bio.tell() >= self.chunk_size_bytes or due:
                    self._flush(storage)
                    last_flush = time.monotonic()
            except Exception as exc:  # noqa: BLE001 - any failure must be reported, not kill the thread silently
                self._fail(exc)
                return

    def _flush(self, storage: McapWriter) -> None:
        """Close the pending chunk (if it holds messages) and push it to the disk."""
        if storage.chunk.msgs:
            storage.close_chunk()
            self.stats.flushes += 1
        storage.bio.flush()
        if self.fsync:
            os.fsync(storage.bio.fileno())

    def _fail(self, exc: BaseException) -> None:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        self.error = BagWriteError(
            f"writing bag {self.path} failed after {self.stats.written} messages: {reason}; "
            f"messages up to the last flush are kept (hip-exo trials recover {self.path})"
        )
        log.error("%s", self.error)
        # Unblock the executor side: everything still queued is counted as dropped.
        while True:
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
            self.stats.dropped += 1

    # -- stop ----------------------------------------------------------------------------------
    def close(self) -> WriterStats:
        """Write what is queued, close the bag (final metadata.yaml), join the thread.

        Raises BagWriteError if writing failed at any point (the bag then stays as recovery left it).
        """
        if self._closed:
            return self.stats
        self._closed = True
        if self._thread is not None:
            while self._thread.is_alive():
                try:
                    self._queue.put(_STOP, timeout=0.1)
                    break
                except queue.Full:
                    continue
            self._thread.join()
        writer, self._writer = self._writer, None
        if writer is not None and self.error is None:
            try:
                for key, value in self.custom_data.items():
                    writer.set_custom_data(key, value)
                writer.set_custom_data(STATE_KEY, STATE_COMPLETE)
                writer.close()
                log.info("bag %s closed: %d messages, %d dropped", self.path, self.stats.written, self.stats.dropped)
            except OSError as exc:
                self.error = BagWriteError(f"closing bag {self.path} failed: {exc.strerror or exc}")
                self._abort(writer)
        elif writer is not None:
            self._abort(writer)
        if self.error is not None:
            raise self.error
        if self.stats.dropped:
            log.warning("bag %s: %d messages dropped (writer queue full)", self.path, self.stats.dropped)
        return self.stats

    def _abort(self, writer: Writer) -> None:
        """Close the file after a failure. Its buffered tail may fail to write again (a full disk stays
        full): that must not hide the first error, and recovery trims the tail anyway."""
        try:
            writer.abort()
        except OSError as exc:
            log.warning("bag %s: unflushed tail lost on abort: %s", self.path, exc.strerror or exc)

    def __enter__(self) -> BagWriter:
        self.open()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
