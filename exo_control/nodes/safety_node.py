"""Safety node: /exo/torque_request -> governor -> /exo/torque_command, watchdogs, /diagnostics.

It sits between every policy and every motor, in simulation too. Watchdogs (node clock,
receipt times): thigh IMUs and joint states (sensor_timeout_s), torque requests
(policy_timeout_s). Any ERROR/STALE status another node reports on /diagnostics (a motor
error code, a lost motor, an IMU fault) and any motor temperature above the cut-off latch a
fault too. Faults ramp the command to zero and stay latched until cleared by service.
"""

from __future__ import annotations

from typing import Any

from exo_control.runtime.node import ExoNode, NodeHandle
from exo_control.safety.governor import SafetyConfig, SafetyGovernor
from exo_interfaces import contract as c
from exo_interfaces import messages as m
from exo_interfaces.services import ServiceResponse

#: Diagnostic key through which motor drivers report temperature (deg C).
TEMPERATURE_KEY = "temperature_c"


class SafetyNode(ExoNode):
    NAME = "safety"
    CONFIG = SafetyConfig
    SHUTDOWN_ORDER = 0

    def __init__(self, handle: NodeHandle, config: SafetyConfig):
        super().__init__(handle, config)
        self.governor = SafetyGovernor(config)
        self._reported: set[str] = set()
        self._dt_s = 1.0 / config.rate_hz
        start = handle.now_ns()
        # Watched inputs -> last receipt time; the start time gives a grace period of one timeout.
        self._last_rx_ns: dict[str, int] = {
            c.IMU_LEFT_THIGH.name: start,
            c.IMU_RIGHT_THIGH.name: start,
            c.JOINT_STATES.name: start,
            c.TORQUE_REQUEST.name: start,
        }
        self._timeouts_ns = {
            name: round((config.policy_timeout_s if name == c.TORQUE_REQUEST.name else config.sensor_timeout_s) * 1e9)
            for name in self._last_rx_ns
        }
        self._command_pub = handle.create_publisher(c.TORQUE_COMMAND)
        self._diag_pub = handle.create_publisher(c.DIAGNOSTICS)
        for topic in (c.IMU_LEFT_THIGH, c.IMU_RIGHT_THIGH, c.JOINT_STATES):
            handle.create_subscription(topic, self._make_watch(topic.name))
        handle.create_subscription(c.TORQUE_REQUEST, self._on_request)
        handle.create_subscription(c.ESTOP, self._on_estop)
        handle.create_subscription(c.DIAGNOSTICS, self._on_diagnostics)
        handle.create_service(c.SAFETY_ENABLE, self._on_enable)
        handle.create_service(c.SAFETY_CLEAR_FAULTS, self._on_clear)
        handle.create_timer(self._dt_s, self._control_step)
        handle.create_timer(1.0 / config.diagnostics_rate_hz, self._publish_diagnostics)
        if config.enable_on_start:
            self.governor.enable(True)

    # -- inputs ------------------------------------------------------------------------
    def _make_watch(self, topic: str) -> Any:
        def on_msg(_msg: Any) -> None:
            self._last_rx_ns[topic] = self.handle.now_ns()

        on_msg.__name__ = f"watch_{topic}"
        return on_msg

    def _on_request(self, msg: Any) -> None:
        self._last_rx_ns[c.TORQUE_REQUEST.name] = self.handle.now_ns()
        try:
            torque = m.joint_efforts(msg)
        except ValueError as exc:
            self._fault("policy_output_invalid", f"bad torque request: {exc}")
            return
        error = self.governor.set_request(torque)
        if error is not None:
            self._fault("policy_output_invalid", error)

    def _on_estop(self, msg: Any) -> None:
        if msg.data:
            self._fault("estop", "emergency stop requested on /exo/estop")

    def _on_diagnostics(self, msg: Any) -> None:
        for status in msg.status:
            if status.name.startswith(f"{self.handle.name}:"):
                continue
            if status.level in (m.DIAG_ERROR, m.DIAG_STALE):
                self._fault(f"reported:{status.name}", status.message or "error reported")
            for kv in status.values:
                if kv.key == TEMPERATURE_KEY:
                    try:
                        temp = float(kv.value)
                    except ValueError:
                        continue
                    if temp > self.config.max_motor_temperature_c:
                        self._fault(
                            f"over_temperature:{status.name}",
                            f"{status.name} at {temp:.1f} C > cut-off {self.config.max_motor_temperature_c:.1f} C",
                        )

    def _on_enable(self, request: Any) -> ServiceResponse:
        ok, message = self.governor.enable(bool(request.data))
        self.log.info(f"enable({request.data}): {message}")
        return ServiceResponse(ok, message)

    def _on_clear(self, _request: Any) -> ServiceResponse:
        cleared = self.governor.clear_faults()
        self._reported.clear()
        now = self.handle.now_ns()
        for name in self._last_rx_ns:  # a fresh grace period for each watchdog
            self._last_rx_ns[name] = max(self._last_rx_ns[name], now)
        return ServiceResponse(True, f"cleared: {', '.join(cleared) or 'none'}; assistance disabled")

    # -- loop --------------------------------------------------------------------------
    def _fault(self, name: str, message: str) -> None:
        self.governor.fault(name, message)
        if name not in self._reported:
            self._reported.add(name)
            self.log.error(f"fault {name}: {message}")
            self._publish_diagnostics()

    def _control_step(self) -> None:
        now = self.handle.now_ns()
        for topic, last in self._last_rx_ns.items():
            age = now - last
            if age > self._timeouts_ns[topic]:
                self._fault(f"stale:{topic}", f"no message on {topic} for {age / 1e6:.1f} ms")
        torque = self.governor.step(self._dt_s)
        self._command_pub.publish(m.joint_state_msg(now, effort_nm=torque))

    def _publish_diagnostics(self) -> None:
        g = self.governor
        level = m.DIAG_ERROR if g.faults else (m.DIAG_OK if g.enabled else m.DIAG_WARN)
        message = "; ".join(f"{k}: {v}" for k, v in sorted(g.faults.items())) or (
            "assisting" if g.enabled else "assistance disabled"
        )
        values = {
            "enabled": str(g.enabled),
            "gain": f"{g.gain:.3f}",
            "command_left_nm": f"{g.output_nm[0]:.3f}",
            "command_right_nm": f"{g.output_nm[1]:.3f}",
            "faults": ",".join(sorted(g.faults)),
        }
        status = m.diagnostic_status(f"{self.handle.name}: governor", level, message, values)
        self._diag_pub.publish(m.diagnostic_array(self.handle.now_ns(), [status]))

    def shutdown(self) -> None:
        self._command_pub.publish(m.joint_state_msg(self.handle.now_ns(), effort_nm=self.governor.zero_now()))


def main() -> int:
    from exo_control.runtime.rclpy_backend import main_for

    return main_for(SafetyNode)()
