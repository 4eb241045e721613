"""A signing configuration: who signs an issued document, with which key and which image.

Used by `issue --sign FILE` and by the server, so that an office writes once where its keys and
images are. Secrets are never in the file: each step names the environment variable that holds
its passphrase or PIN (asked for at a prompt when it is not set).

    # ky-so.yaml
    signer:
      p12: keys/pho-cuc-truong.p12
      image: images/chu-ky.png
    organisation:
      pkcs11_lib: /usr/lib/x86_64-linux-gnu/libcuc-token.so
      token: CUC CONG THUONG
      key_label: con-dau
      image: images/con-dau.png
      secret_env: DISPATCH_GEN_PIN

A joint document lists its steps in order under `steps:`, each with `as:` and, where needed,
`block:` (the signer's name or the block's number).
"""
from __future__ import annotations

import os
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from .appearance import Picture, load_picture
from .keys import KeySource, Secret, SigningError, open_signer
from .signer import ROLES, sign_bytes

_PATHS = ("p12", "key", "cert", "pkcs11_lib", "image")
_TEXT = ("token", "key_label", "block", "secret_env")
_KNOWN = set(_PATHS) | set(_TEXT) | {"chain", "as"}
_SECRETS = {"passphrase", "password", "pin", "mat_khau", "mật_khẩu"}


@dataclass(frozen=True)
class SignStep:
    role: str
    key: KeySource
    image: Path | None = None
    block: str | None = None
    secret_env: str = "DISPATCH_GEN_PASSPHRASE"


def default_env(key: KeySource) -> str:
    return "DISPATCH_GEN_PIN" if key.pkcs11_lib else "DISPATCH_GEN_PASSPHRASE"


def _step(raw, role: str | None, where: str, base: Path) -> SignStep:
    if not isinstance(raw, dict):
        raise SigningError(f"{where}: expected the keys of one signature (p12 or key/cert or pkcs11_lib, image …)")
    secret = sorted(k for k in raw if str(k).casefold() in _SECRETS)
    if secret:
        raise SigningError(f"{where}: {secret[0]}: secrets are not kept in this file; name the environment "
                           "variable that holds it with secret_env")
    unknown = sorted(str(k) for k in raw if k not in _KNOWN)
    if unknown:
        raise SigningError(f"{where}: {unknown[0]}: unknown key (known: {', '.join(sorted(_KNOWN))})")
    role = raw.get("as", role)
    if role not in ROLES:
        raise SigningError(f"{where}: as: must be signer or organisation, not {role!r}")
    path = lambda v: (base / str(v)) if v is not None and not Path(str(v)).is_absolute() else (Path(v) if v else None)  # noqa: E731
    chain = raw.get("chain") or []
    chain = [chain] if isinstance(chain, str) else chain
    try:
        key = KeySource(p12=path(raw.get("p12")), key=path(raw.get("key")), cert=path(raw.get("cert")),
                        chain=tuple(path(c) for c in chain), pkcs11_lib=path(raw.get("pkcs11_lib")),
                        token=raw.get("token"), key_label=raw.get("key_label"))
    except SigningError as exc:
        raise SigningError(f"{where}: {exc.lines[0]}") from None
    for name in ("p12", "key", "cert", "image"):
        value = path(raw.get(name))
        if value is not None and not value.is_file():
            raise SigningError(f"{where}: {name}: no such file {value}")
    return SignStep(role, key, path(raw.get("image")), str(raw["block"]) if raw.get("block") is not None else None,
                    str(raw.get("secret_env") or default_env(key)))


def load_signing(path: str | Path) -> list[SignStep]:
    """Read a signing configuration; paths in it are relative to the file."""
    from ..readers.text_file import read_text

    path = Path(path)
    text = read_text(path)
    from ruamel.yaml import YAML, YAMLError

    try:
        data = YAML(typ="safe").load(text)
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise SigningError(f"{path}:{mark.line + 1 if mark else '?'}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
    base = path.parent
    if isinstance(data, dict) and "steps" in data:
        raw_steps = data["steps"] or []
        if not isinstance(raw_steps, list):
            raise SigningError(f"{path}: steps: expected a list of signatures")
        steps = [_step(raw, None, f"{path}: steps[{i}]", base) for i, raw in enumerate(raw_steps, start=1)]
    elif isinstance(data, dict) and set(data) <= set(ROLES) and data:
        steps = [_step(data[role], role, f"{path}: {role}", base) for role in ROLES if role in data]
    else:
        raise SigningError(f"{path}: expected `signer:` and/or `organisation:`, or `steps:`")
    if not steps:
        raise SigningError(f"{path}: no signature configured")
    return steps


def env_or_prompt(prompt: Callable[[str], str] | None = None) -> Callable[[str], Secret]:
    """For a step's environment variable, a secret: the variable if set, else `prompt(what)`,
    else an error naming the variable."""
    def secret_for(env: str) -> Secret:
        def ask(what: str) -> str:
            value = os.environ.get(env)
            if value is not None:
                return value
            if prompt is None:
                raise SigningError(f"{what} is needed: set {env}")
            return prompt(what)
        return ask
    return secret_for


@dataclass
class OpenStep:
    step: SignStep
    signer: object
    picture: Picture | None


@contextmanager
def open_steps(steps: list[SignStep], secret_for: Callable[[str], Secret]) -> Iterator[list[OpenStep]]:
    """Unlock every key and check every image first, so that a wrong PIN or a bad image stops
    before anything (a document number) is used."""
    with ExitStack() as stack:
        opened = []
        for step in steps:
            picture = load_picture(step.image, "blue" if step.role == "signer" else "red") if step.image else None
            signer = stack.enter_context(open_signer(step.key, secret_for(step.secret_env)))
            opened.append(OpenStep(step, signer, picture))
        yield opened


def sign_all(data: bytes, name: str, opened: list[OpenStep]) -> tuple[bytes, list[str]]:
    """Apply the steps in order (signer, then organisation …) to the PDF `data`."""
    notes: list[str] = []
    for each in opened:
        data, result = sign_bytes(data, name, role=each.step.role, signer=each.signer, picture=each.picture,
                                  block=each.step.block, described=each.step.key.described)
        notes.extend(result[-1])
        who = result[3] if each.step.role == "organisation" and result[3] else result[2]
        notes.append(f"signed as {each.step.role}: {who}, {result[4].isoformat()}")
    return data, notes
