"""Validate a Roo Code settings-import file with the zod schemas of npm `@roo-code/types`."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.realtools.harness import INSTALL_HINT, ROOT

NODE_MODULES = ROOT / ".realtools" / "node_modules"
VALIDATOR = Path(__file__).with_name("validate_roo.cjs")


def unavailable_reason() -> str | None:
    """Why the validator cannot run here, or None when it can."""
    if shutil.which("node") is None:
        return "node not found on PATH"
    if not (NODE_MODULES / "@roo-code" / "types" / "package.json").exists():
        return f"@roo-code/types not installed in .realtools; {INSTALL_HINT}"
    return None


def validate_roo_profile(path: Path) -> list[str]:
    """Every schema error of the import file at `path` ("a.b.c: message"); [] when valid."""
    node = shutil.which("node")
    if node is None:
        raise RuntimeError("node not found on PATH")
    proc = subprocess.run(
        [node, str(VALIDATOR), str(path)],
        env={"NODE_PATH": str(NODE_MODULES)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"validate_roo.cjs failed ({proc.returncode}): {proc.stderr}")
    errors = json.loads(proc.stdout)
    assert isinstance(errors, list)
    return [str(error) for error in errors]
