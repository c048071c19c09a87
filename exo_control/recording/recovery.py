"""Recover a bag whose writer died (SIGKILL, power cut): rebuild its MCAP summary and metadata.yaml.

The recorder flushes whole MCAP chunks, so a dead writer leaves a file that ends after the last
complete chunk (plus, at worst, part of the next one) and has no summary or footer. Recovery
reads the file as a stream up to the first incomplete record, writes the schemas, channels and
messages it found into a new, complete MCAP (same CDR bytes, log and publish times), keeps the
damaged file next to it (``<name>.mcap.damaged``) and writes metadata.yaml with the message counts
and the trial metadata of the provisional metadata.yaml written when recording started.
Like ``ros2 bag reindex``, but also for files without a summary.
"""

from __future__ import annotations

import logging
import struct
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mcap.exceptions import McapError
from mcap.records import Channel, Message, Schema
from mcap.stream_reader import StreamReader
from mcap.writer import CompressionType
from mcap.writer import Writer as McapFileWriter
from rosbags.rosbag2.storage_mcap import get_qos

from exo_control.recording.errors import BagRecoveryError
from exo_control.recording.metadata import TopicCount, read_metadata, write_metadata
from exo_control.recording.trial import STATE_KEY, STATE_RECOVERED

log = logging.getLogger(__name__)


@dataclass
class RecoveryResult:
    """What recovery found: messages kept per topic, bytes of the damaged tail dropped."""

    bag: Path
    mcap: Path
    messages: int
    per_topic: dict[str, int] = field(default_factory=dict)
    start_ns: int = 0
    end_ns: int = 0
    damaged_tail_bytes: int = 0
    was_complete: bool = False


@dataclass
class _Salvage:
    schemas: dict[int, Schema] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    messages: list[Message] = field(default_factory=list)
    good_bytes: int = 0
    complete: bool = False


def find_mcap(bag: Path) -> Path:
    """The MCAP file of a bag folder (or the file itself)."""
    if bag.is_file() and bag.suffix == ".mcap":
        return bag
    files = sorted(bag.glob("*.mcap"))
    if not files:
        raise BagRecoveryError(f"no .mcap file in {bag}")
    if len(files) > 1:
        raise BagRecoveryError(f"{bag} holds {len(files)} .mcap files ({', '.join(f.name for f in files)}); expected one")
    return files[0]


def _salvage(path: Path) -> _Salvage:
    out = _Salvage()
    with path.open("rb") as f:
        reader = StreamReader(f, emit_chunks=False, validate_crcs=False)
        try:
            for record in reader.records:
                if isinstance(record, Schema):
                    out.schemas[record.id] = record
                elif isinstance(record, Channel):
                    out.channels[record.id] = record
                elif isinstance(record, Message):
                    out.messages.append(record)
                out.good_bytes = f.tell()
            out.complete = True
        except (McapError, EOFError, struct.error, ValueError) as exc:
            log.info("%s: stream ends in an incomplete record at byte %d (%s)", path, out.good_bytes, type(exc).__name__)
    return out


def recover_bag(bag: str | Path, *, force: bool = False) -> RecoveryResult:
    """Make the bag at ``bag`` readable again; return what was kept.

    A bag whose MCAP is complete and whose metadata is final is left alone unless ``force``.
    """
    bag = Path(bag)
    if not bag.exists():
        raise BagRecoveryError(f"no bag at {bag}")
    mcap_path = find_mcap(bag)
    bag_dir = mcap_path.parent
    old_meta = read_metadata(bag_dir)
    custom = dict(old_meta.get("custom_data") or {})
    salvage = _salvage(mcap_path)
    if not salvage.channels:
        raise BagRecoveryError(f"{mcap_path}: no complete chunk with channel definitions; nothing to recover")
    by_channel = Counter(msg.channel_id for msg in salvage.messages)
    per_topic = {ch.topic: by_channel.get(cid, 0) for cid, ch in sorted(salvage.channels.items())}
    times = [msg.log_time for msg in salvage.messages]
    result = RecoveryResult(
        bag=bag_dir, mcap=mcap_path, messages=len(salvage.messages), per_topic=per_topic,
        start_ns=min(times, default=0), end_ns=max(times, default=0),
        damaged_tail_bytes=mcap_path.stat().st_size - salvage.good_bytes, was_complete=salvage.complete,
    )
    if salvage.complete and old_meta and custom.get(STATE_KEY) != "recording" and not force:
        log.info("%s is complete; nothing to recover", bag_dir)
        return result

    if not salvage.complete:
        _rewrite(mcap_path, salvage)
    topics = []
    for ch in salvage.channels.values():
        schema = salvage.schemas.get(ch.schema_id)
        type_hash = _type_hash(old_meta, ch.topic) or _typestore_hash(schema.name if schema else "")
        topics.append(TopicCount(ch.topic, schema.name if schema else "", get_qos(_qos_blob(ch)), type_hash,
                                 per_topic[ch.topic]))
    custom[STATE_KEY] = STATE_RECOVERED
    custom["hip_exo.recovered_messages"] = str(result.messages)
    write_metadata(bag_dir, mcap_name=mcap_path.name, topics=topics, start_ns=result.start_ns,
                   end_ns=result.end_ns, custom_data=custom)
    log.info("recovered %s: %d messages (%d bytes of damaged tail dropped)", bag_dir, result.messages,
             result.damaged_tail_bytes)
    return result


def _rewrite(mcap_path: Path, salvage: _Salvage) -> None:
    """Write the salvaged records into a complete MCAP; keep the damaged original aside."""
    tmp = mcap_path.with_suffix(".mcap.recovering")
    with tmp.open("wb") as f:
        writer = McapFileWriter(f, compression=CompressionType.NONE)
        writer.start(profile="ros2", library="hip_exo recovery")
        schema_ids = {sid: writer.register_schema(s.name, s.encoding, s.data) for sid, s in salvage.schemas.items()}
        channel_ids = {
            cid: writer.register_channel(c.topic, c.message_encoding, schema_ids.get(c.schema_id, 0), dict(c.metadata))
            for cid, c in salvage.channels.items()
        }
        for msg in salvage.messages:
            writer.add_message(channel_ids[msg.channel_id], msg.log_time, msg.data, msg.publish_time, msg.sequence)
        writer.finish()
    damaged = mcap_path.with_suffix(".mcap.damaged")
    mcap_path.replace(damaged)
    tmp.replace(mcap_path)


def _qos_blob(channel: Channel) -> bytes:
    """Channel metadata in the key/value byte layout rosbags' get_qos parses."""
    value = channel.metadata.get("offered_qos_profiles", "")
    out = bytearray()
    for s in ("offered_qos_profiles", value):
        raw = s.encode()
        out += struct.pack("<I", len(raw)) + raw
    return bytes(out)


def _typestore_hash(msgtype: str) -> str:
    from exo_interfaces.messages import TYPESTORE

    try:
        return str(TYPESTORE.hash_rihs01(msgtype))
    except Exception:  # noqa: BLE001 - a type this typestore does not know keeps an empty hash
        return ""


def _type_hash(old_meta: dict[str, Any], topic: str) -> str:
    for entry in old_meta.get("topics_with_message_count", []) or []:
        tm = entry.get("topic_metadata", {})
        if tm.get("name") == topic:
            return str(tm.get("type_description_hash", ""))
    return ""
