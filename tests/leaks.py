"""Whether a text gives an API key away, and the encoded echoes of a key a server may send.

Independent of dialog360's redactor, so tests can hold it to account.
"""

from __future__ import annotations

import base64
import binascii
import re
from urllib.parse import quote

HEAD_LINE = "D360-API-KEY: {key}\r\n"


def encoded_echoes(key: str) -> dict[str, str]:
    """The key as a server might echo it: inside base64 at each byte alignment, in either
    alphabet, and percent-encoded (name -> echoed text)."""
    echoes = {"percent": f"key={quote(key, safe='')}"}
    for prefix in ("", "x", "xy"):
        line = (prefix + HEAD_LINE.format(key=key)).encode()
        echoes[f"base64+{len(prefix)}"] = base64.b64encode(line).decode()
        echoes[f"base64url+{len(prefix)}"] = base64.urlsafe_b64encode(line).decode()
    return echoes


def recoverable(key: str, text: str) -> bool:
    """Whether `text` gives the key away: as is, percent-encoded, or six of its bytes in a row
    inside anything that decodes as base64 (either alphabet, from any character)."""
    if key in text or quote(key, safe="") in text:
        return True
    raw = key.encode()
    windows = {raw[i : i + 6] for i in range(len(raw) - 5)}
    for run in re.findall(r"[A-Za-z0-9+/_-]{8,}", text):
        for start in range(4):
            chunk = run[start:][: (len(run) - start) // 4 * 4]
            for spelled in (chunk, chunk.replace("-", "+").replace("_", "/")):
                try:
                    decoded = base64.b64decode(spelled, validate=True)
                except binascii.Error:
                    continue
                if any(window in decoded for window in windows):
                    return True
    return False
