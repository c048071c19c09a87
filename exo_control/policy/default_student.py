"""Where the packaged student policy lives."""

from __future__ import annotations

from pathlib import Path

from exo_control.policy.student_runner import StudentLoadError

#: The student shipped with the package (see its .md file beside it for provenance).
DEFAULT_STUDENT = Path(__file__).with_name("students") / "student.onnx"


def resolve_student_path(configured: str) -> Path:
    """The configured path, or the packaged student when the parameter is empty."""
    if configured:
        return Path(configured).expanduser()
    if not DEFAULT_STUDENT.is_file():
        raise StudentLoadError(
            f"no policy_path configured and no packaged student at {DEFAULT_STUDENT}; "
            "train and export one (README: 'Learning in simulation') or set policy.policy_path"
        )
    return DEFAULT_STUDENT
