"""A non-editable install (a wheel) ships the pricing CSVs and finds them.

Builds the wheel offline (hatchling from the dev extra, no build isolation), installs it
with ``--no-deps`` into a fresh virtual environment, and lets that environment see this
one's site-packages (numpy, pandas, pydantic) through a ``.pth`` file. The editable
install of ``tco`` living there is not activated (``.pth`` files in a directory added by a
``.pth`` line are not processed), so ``import tco`` resolves to the installed wheel.
"""

from __future__ import annotations

import json
import site
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CSVS = {
    "api_models.csv",
    "gpu_hardware.csv",
    "gpu_offers.csv",
    "throughput.csv",
    "model_specs.csv",
}

PROBE = """
import json, tco, tco.pricing
cat = tco.load_pricing()
print(json.dumps({
    "tco": tco.__file__,
    "data": str(tco.pricing.bundled_pricing_dir()),
    "counts": cat.counts(),
}))
"""


def _run(*cmd: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(c) for c in cmd], capture_output=True, text=True, cwd=cwd, timeout=300, check=False
    )
    assert done.returncode == 0, f"{cmd}\n{done.stdout}\n{done.stderr}"
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    _run(
        sys.executable,
        "-m",
        "pip",
        "wheel",
        "--no-deps",
        "--no-build-isolation",
        "--no-index",
        "--quiet",
        "-w",
        out,
        REPO,
        cwd=out,
    )
    (built,) = out.glob("tco-*.whl")
    return built


def test_wheel_contains_every_bundled_file(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    repo_files = {p.name for p in (REPO / "pricing_data").iterdir() if p.is_file()}
    assert repo_files >= CSVS
    assert {f"tco/pricing_data/{name}" for name in repo_files} <= names
    for name in repo_files:
        packed = zipfile.ZipFile(wheel).read(f"tco/pricing_data/{name}")
        assert packed == (REPO / "pricing_data" / name).read_bytes(), name


def test_installed_wheel_loads_the_bundled_catalog(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(
        sys.executable,
        "-m",
        "pip",
        "--python",
        python,
        "install",
        "--no-deps",
        "--no-index",
        "--quiet",
        wheel,
        cwd=tmp_path,
    )
    target = Path(
        _run(
            python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))", cwd=tmp_path
        ).stdout.strip()
    )
    ours = [sysconfig.get_path("purelib"), *site.getsitepackages()]
    (target / "outer_site_packages.pth").write_text("\n".join(dict.fromkeys(ours)) + "\n")

    done = _run(python, "-c", PROBE, cwd=tmp_path)  # cwd outside the repository
    info = json.loads(done.stdout)
    assert Path(info["tco"]).is_relative_to(venv)
    assert Path(info["data"]) == Path(info["tco"]).parent / "pricing_data"
    assert all(n > 0 for n in info["counts"].values())
    cli = _run(python, "-m", "tco", "prices", "check", "--days", "100000", cwd=tmp_path)
    assert cli.stdout.startswith(f"ok: {Path(info['data'])}: ")
