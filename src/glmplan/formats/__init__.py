"""The ONLY code that parses or serialises users' files.

Public API (implemented in the format modules; dispatch here by `Format`):

- `parse(fmt, text, source) -> object`: strict parse to plain Python (dict/list/str/int/float/
  bool/None). Raises `FormatError(source, line, col, message)` on malformed input, duplicate keys,
  unterminated comments, ... (line/col 1-based).
- `get_value(fmt, text, path, source) -> object | MISSING`: the value at a key path.
- `apply_edits(fmt, text, edits, source) -> str`: the new text with only the edited keys' text
  changed (comments, order, indent, quotes, trailing commas, EOL, BOM and final newline kept).
  Runs the semantic guard: the new text is re-parsed strictly and must equal the old parse plus
  the intended edits, else `FormatError`-like `GuardError` is raised and nothing is written.

Modules: `jsonc_parse` (strict JSON/JSONC parser keeping offsets) and `jsonc_edit` (span edits in
the manner of Microsoft's jsonc-parser `modify`); `yaml_fmt` (ruamel.yaml round-trip) and
`toml_fmt` (tomllib to read, tomlkit to edit), both followed by `linemerge`, which puts the user's
own text back on every line the edit did not touch; `values` (strict equality, edits on plain data).
"""

from __future__ import annotations

from glmplan.formats.api import MISSING, GuardError, apply_edits, get_value, parse

__all__ = ["MISSING", "GuardError", "apply_edits", "get_value", "parse"]
