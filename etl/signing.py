"""Signing workbooks, so that a forged plan cannot pass for the office's own.

The fingerprint in every workbook (sha256 of its records) catches accidents; anyone can
recompute it after editing the hidden records. With a key that only the office holds
(a key file, or the environment variable `SHAKYO_PDCA_KEY`; never inside a workbook),
`convert` writes an HMAC-SHA256 of the council and the records into the hidden metadata,
and `collect` refuses a workbook whose signature does not match, and an unsigned one
unless told to accept it (`Trust.allow_unsigned`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
from dataclasses import dataclass
from pathlib import Path

from .model import Records
from .problems import EtlError, Location, problem
from .workbook.snapshot import records_to_json

KEY_ENV = "SHAKYO_PDCA_KEY"


@dataclass(frozen=True)
class Trust:
    """What collect asks of a workbook's signature."""

    key: bytes | None = None  # None: no key configured, signatures are not checked
    allow_unsigned: bool = False


def load_key(key_file: Path | None = None, environ: dict[str, str] | None = None) -> bytes | None:
    """The office's key: the contents of `key_file` if given, else `SHAKYO_PDCA_KEY`, else None.
    Raises `EtlError` for a key file that cannot be read or is empty."""
    if key_file is None:
        text = (os.environ if environ is None else environ).get(KEY_ENV, "").strip()
        return text.encode("utf-8") or None
    try:
        key = key_file.read_bytes().strip()
    except OSError as err:
        raise EtlError(
            problem(
                "key.unreadable",
                Location(file=str(key_file)),
                ja="署名の鍵ファイルを読めません",
                en=f"cannot read the signing key file ({err.strerror or type(err).__name__})",
                hint="鍵ファイルの場所と読み取り権限を確かめてください",
            )
        ) from None
    if not key:
        raise EtlError(
            problem(
                "key.empty",
                Location(file=str(key_file)),
                ja="署名の鍵ファイルが空です",
                en="the signing key file is empty",
                hint="十分に長い秘密の文字列を書いたファイルを指定してください",
            )
        )
    return key


def sign(records: Records, key: bytes) -> str:
    """HMAC-SHA256 of the council and the records, in hex."""
    return hmac.new(key, _message(records), hashlib.sha256).hexdigest()


def signed_by(records: Records, signature: str, key: bytes) -> bool:
    return hmac.compare_digest(sign(records, key), signature)


def _message(records: Records) -> bytes:
    return f"{records.council.id}\n".encode() + records_to_json(records).encode("utf-8")
