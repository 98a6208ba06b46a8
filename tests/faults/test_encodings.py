"""RELIABILITY 21 end to end: BOM, CRLF, no final newline, non-BMP text and escaped surrogate
pairs survive `glmplan setup` in JSON, JSONC, YAML (Goose) and TOML (glmplan's own config), and
`glmplan restore` gives every tool file back byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from .harness import KEY, Zygote, user_files

BOM = "\ufeff"
TOOLS = ("claude-code", "roo-code", "goose")

# relative path -> text with "\n" line breaks, a final newline and non-BMP characters
FILES = {
    ".claude/settings.json": (
        '{\n  "mine": "🎉",\n  "statusLine": {"type": "command", "command": "echo 𝄞"},\n'
        '  "env": {"GREETING": "\\ud83d\\ude00 hi 😀"}\n}\n'
    ),
    ".claude.json": '{\n  "numStartups": 1,\n  "tip": "𠜎 \\ud834\\udd1e"\n}\n',
    ".config/Code/User/settings.json": (
        '{\n    /* 🚀 */\n    "editor.fontFamily": "Fira 𝔉",\n    "files.exclude": {},\n}\n'
    ),
    ".config/goose/config.yaml": (
        '# goose 🪿 settings\nGOOSE_MODE: smart_approve\nnote: "𝒢𝑜𝑜𝓈𝑒"\nextensions: {}\n'
    ),
}
CONFIG_TOML = '# mine 🧭\nplan = "pro"\nnote = "𝕋𝕆𝕄𝕃"\n'
NON_BMP = ("🎉", "𝄞", "😀", "𠜎", "🚀", "𝔉", "🪿", "𝒢𝑜𝑜𝓈𝑒", "🧭", "𝕋𝕆𝕄𝕃")
ESCAPES = (b"\\ud83d\\ude00", b"\\ud834\\udd1e")


def _encode(text: str, *, bom: bool, crlf: bool, final_newline: bool) -> bytes:
    if not final_newline:
        text = text.rstrip("\n")
    if crlf:
        text = text.replace("\n", "\r\n")
    return ((BOM if bom else "") + text).encode("utf-8")


def _line_breaks(data: bytes) -> set[bytes]:
    crlf = data.count(b"\r\n")
    lf = data.count(b"\n") - crlf
    return {kind for kind, n in ((b"\r\n", crlf), (b"\n", lf)) if n}


def _compare(home: Path, rel: str, old: bytes, style: dict[str, bool]) -> list[str]:
    new = (home / rel).read_bytes()
    problems = []
    if new == old:
        problems.append(f"{rel}: not changed by setup")
    if new.startswith(BOM.encode()) != style["bom"]:
        problems.append(f"{rel}: BOM {'lost' if style['bom'] else 'added'}")
    if _line_breaks(new) != _line_breaks(old):
        problems.append(f"{rel}: line breaks {_line_breaks(old)} -> {_line_breaks(new)}")
    if new.endswith(b"\n") != old.endswith(b"\n"):
        problems.append(f"{rel}: final newline state changed")
    text = new.decode("utf-8")
    problems += [f"{rel}: lost {c}" for c in NON_BMP if c in old.decode() and c not in text]
    problems += [f"{rel}: lost escape {e!r}" for e in ESCAPES if e in old and e not in new]
    return problems


VARIANTS = {
    "plain": {"bom": False, "crlf": False, "final_newline": True},
    "bom": {"bom": True, "crlf": False, "final_newline": True},
    "crlf": {"bom": False, "crlf": True, "final_newline": True},
    "bom-crlf-no-final-newline": {"bom": True, "crlf": True, "final_newline": False},
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_encodings_survive_setup_and_restore_is_byte_exact(
    zygote: Zygote, isolated_home: Path, variant: str
) -> None:
    style = VARIANTS[variant]
    for rel, text in FILES.items():
        path = isolated_home / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(_encode(text, **style))
    before = {rel: (isolated_home / rel).read_bytes() for rel in FILES}
    originals = user_files(isolated_home)

    setup = ("setup", *TOOLS, "--plan", "pro", "--yes", "--api-key-stdin")
    outcome, _ = zygote.run(isolated_home, *setup, stdin=KEY + "\n")
    assert outcome.code == 0, outcome.err
    problems = [p for rel, old in before.items() for p in _compare(isolated_home, rel, old, style)]
    assert problems == []

    outcome, _ = zygote.run(isolated_home, "restore", "--all", "--yes")
    assert outcome.code == 0, outcome.err
    assert user_files(isolated_home) == originals


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_encodings_of_glmplans_own_config_toml_survive_setup(
    zygote: Zygote, isolated_home: Path, variant: str
) -> None:
    style = VARIANTS[variant]
    path = isolated_home / ".config" / "glmplan" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_bytes(old := _encode(CONFIG_TOML, **style))
    setup = ("setup", "claude-code", "--plan", "max", "--yes", "--api-key-stdin")
    outcome, _ = zygote.run(isolated_home, *setup, stdin=KEY + "\n")
    assert outcome.code == 0, outcome.err
    assert _compare(isolated_home, ".config/glmplan/config.toml", old, style) == []
