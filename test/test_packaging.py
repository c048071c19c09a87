"""The repo is one ament_python package colcon can see, and its install metadata is complete."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from exo_control.launch_plan import PLANS


def test_colcon_discovers_one_ament_python_package(repo: Path, tmp_path: Path) -> None:
    colcon = shutil.which("colcon", path=str(Path(sys.executable).parent))
    assert colcon, "colcon is a test dependency (setup.py extras 'test')"
    out = subprocess.run(
        [colcon, "list", "--base-paths", str(repo)], cwd=tmp_path, capture_output=True, text=True, check=True
    ).stdout.split("\n")
    rows = [line.split("\t") for line in out if line.strip()]
    assert rows == [["hip_exo", str(repo), "(ros.ament_python)"]]


def test_package_xml_is_format_3_ament_python(repo: Path) -> None:
    root = ET.parse(repo / "package.xml").getroot()
    assert root.get("format") == "3"
    assert root.findtext("name") == "hip_exo"
    assert root.findtext("export/build_type") == "ament_python"
    assert (repo / "resource" / "hip_exo").is_file()


def _setup_call(repo: Path) -> dict[str, ast.expr]:
    tree = ast.parse((repo / "setup.py").read_text())
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "setup")
    return {k.arg: k.value for k in call.keywords if k.arg}


def test_every_launch_node_has_an_entry_point(repo: Path) -> None:
    text = (repo / "setup.py").read_text()
    for entries in PLANS.values():
        for entry in entries:
            module, _cls = entry.target.split(":")
            assert f"{entry.executable} = {module}:main" in text


def test_setup_declares_tests_and_data_files(repo: Path) -> None:
    kw = _setup_call(repo)
    assert "tests_require" in kw  # colcon test runs pytest only when declared
    assert "data_files" in kw
    for name in ("sim", "hardware"):
        assert (repo / "launch" / f"{name}.launch.py").is_file()
        assert (repo / "config" / f"{name}.yaml").is_file()


def test_pins_that_matter(repo: Path) -> None:
    text = (repo / "setup.py").read_text()
    assert '"torch==2.13.0"' in text
    assert '"mujoco==3.17.0"' in text and '"myo-sim==0.2.4"' in text


@pytest.mark.parametrize("launch", ["sim", "hardware"])
def test_launch_files_compile(repo: Path, launch: str) -> None:
    compile((repo / "launch" / f"{launch}.launch.py").read_text(), f"{launch}.launch.py", "exec")


def test_the_packaged_policies_are_package_data(repo: Path) -> None:
    """The sim launch's default teacher and student must be installed with the modules that load
    them (a colcon or pip install has no artifacts/ folder)."""
    import fnmatch

    from exo_control.policy.default_student import DEFAULT_STUDENT
    from exo_sim.bridge.sim_bridge_node import DEFAULT_TEACHER

    package_data = ast.literal_eval(_setup_call(repo)["package_data"])
    for path in (DEFAULT_TEACHER, DEFAULT_STUDENT):
        assert path.is_file()
        package_dir = path.parent.parent
        package = ".".join(package_dir.relative_to(repo).parts)
        relative = path.relative_to(package_dir).as_posix()
        assert any(fnmatch.fnmatch(relative, pattern) for pattern in package_data.get(package, [])), (package, relative)
