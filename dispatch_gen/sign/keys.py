"""Where the signing key lives: a PKCS#12 file, a PEM/DER key and certificate, or a PKCS#11 token.

Secrets (the passphrase of a file, the PIN of a token) are never arguments of a command: the
caller passes a function that asks for one (a prompt, an environment variable) and it is called
only when the key turns out to need it.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Union

from ..errors import DispatchGenError

Secret = Union[str, bytes, Callable[[str], str], None]
"""A passphrase or PIN, or a function asked for it (given what it unlocks); None: not needed."""


class SigningError(DispatchGenError):
    """The key, certificate, image or PDF given for signing cannot be used."""


@dataclass(frozen=True)
class KeySource:
    """One of: `p12`; `key` + `cert` (+ `chain`); `pkcs11_lib` + `token` + `key_label`."""

    p12: Path | None = None
    key: Path | None = None
    cert: Path | None = None
    chain: tuple[Path, ...] = ()
    pkcs11_lib: Path | None = None
    token: str | None = None
    key_label: str | None = None
    cert_label: str | None = None

    def __post_init__(self) -> None:
        token = self.pkcs11_lib or self.token or self.key_label
        kinds = [k for k, on in (("--p12", self.p12), ("--key/--cert", self.key or (self.cert and not token)),
                                 ("--pkcs11-lib", self.pkcs11_lib or self.token or self.key_label)) if on]
        if len(kinds) != 1:
            raise SigningError("give exactly one key: --p12 FILE, or --key KEY --cert CERT, or "
                               "--pkcs11-lib LIB --token LABEL --key-label LABEL"
                               + (f" (got {' and '.join(kinds)})" if kinds else ""))
        if (self.key is None) != (self.cert is None) and self.pkcs11_lib is None:
            raise SigningError("--key and --cert go together (the private key and its certificate)")
        if self.pkcs11_lib is not None or self.token or self.key_label:
            missing = [n for n, v in (("--pkcs11-lib", self.pkcs11_lib), ("--token", self.token),
                                      ("--key-label", self.key_label)) if not v]
            if missing:
                raise SigningError(f"a token signature needs {', '.join(missing)}")

    @property
    def described(self) -> str:
        if self.p12:
            return str(self.p12)
        if self.key:
            return str(self.key)
        return f"token {self.token!r} key {self.key_label!r}"


def _ask(secret: Secret, what: str) -> bytes | None:
    if secret is None:
        return None
    if callable(secret):
        secret = secret(what)
    return secret.encode("utf-8") if isinstance(secret, str) else secret


def _read(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        raise SigningError(f"{path}: cannot read ({exc.strerror or exc})") from None


def _certs_from(path: Path) -> list:
    from cryptography import x509

    data = _read(path)
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise SigningError(f"{path}: not a certificate (PEM or DER)") from None


def _to_asn1(key, cert, chain):
    from asn1crypto import keys, x509 as asn1_x509
    from cryptography.hazmat.primitives import serialization as ser

    der = ser.Encoding.DER
    key_info = keys.PrivateKeyInfo.load(key.private_bytes(der, ser.PrivateFormat.PKCS8, ser.NoEncryption()))
    return (key_info, asn1_x509.Certificate.load(cert.public_bytes(der)),
            [asn1_x509.Certificate.load(c.public_bytes(der)) for c in chain])


def _load_p12(path: Path, secret: Secret):
    from cryptography.hazmat.primitives.serialization import pkcs12

    data = _read(path)
    for passphrase in (None, "ask"):
        if passphrase == "ask":
            passphrase = _ask(secret, f"passphrase of {path}")
            if passphrase is None:
                raise SigningError(f"{path}: the file is protected by a passphrase; set "
                                   "DISPATCH_GEN_PASSPHRASE or type it at the prompt")
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, passphrase)
            break
        except ValueError:
            if passphrase is not None:
                raise SigningError(f"{path}: wrong passphrase, or not a PKCS#12 (.p12/.pfx) file") from None
    if key is None or cert is None:
        raise SigningError(f"{path}: the PKCS#12 file holds no private key with its certificate")
    return _to_asn1(key, cert, extra or [])


def _load_pem_key(path: Path, cert_path: Path, chain: tuple[Path, ...], secret: Secret):
    from cryptography.hazmat.primitives import serialization as ser

    data = _read(path)
    load = ser.load_pem_private_key if b"-----BEGIN" in data else ser.load_der_private_key
    try:
        key = load(data, None)
    except TypeError:  # encrypted: it needs its passphrase
        passphrase = _ask(secret, f"passphrase of {path}")
        if passphrase is None:
            raise SigningError(f"{path}: the key is protected by a passphrase; set "
                               "DISPATCH_GEN_PASSPHRASE or type it at the prompt") from None
        try:
            key = load(data, passphrase)
        except ValueError:
            raise SigningError(f"{path}: wrong passphrase for this key") from None
    except ValueError:
        raise SigningError(f"{path}: not a private key (PEM or DER)") from None
    certs = _certs_from(cert_path)
    extra = [c for p in chain for c in _certs_from(p)]
    spki = lambda k: k.public_bytes(ser.Encoding.DER, ser.PublicFormat.SubjectPublicKeyInfo)  # noqa: E731
    cert = next((c for c in certs if spki(c.public_key()) == spki(key.public_key())), None)
    if cert is None:
        raise SigningError(f"{cert_path}: no certificate here matches the private key {path}")
    return _to_asn1(key, cert, [c for c in certs if c is not cert] + extra)


@contextmanager
def open_signer(source: KeySource, secret: Secret = None) -> Iterator[object]:
    """A pyHanko signer for `source`; a token session stays open while the block runs."""
    from pyhanko.sign import signers
    from pyhanko_certvalidator.registry import SimpleCertificateStore

    if source.pkcs11_lib is not None:
        with _token_signer(source, secret) as signer:
            yield signer
        return
    if source.p12 is not None:
        key, cert, chain = _load_p12(source.p12, secret)
    else:
        key, cert, chain = _load_pem_key(source.key, source.cert, source.chain, secret)
    extra = [c for p in source.chain for c in _asn1_certs(p)] if source.p12 else []
    yield signers.SimpleSigner(signing_cert=cert, signing_key=key,
                               cert_registry=SimpleCertificateStore.from_certs(chain + extra))


def _asn1_certs(path: Path) -> list:
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return [asn1_x509.Certificate.load(c.public_bytes(Encoding.DER)) for c in _certs_from(path)]


@contextmanager
def _token_signer(source: KeySource, secret: Secret) -> Iterator[object]:
    try:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session
        from pkcs11 import exceptions as p11_errors
    except ImportError:
        raise SigningError("signing with a token needs python-pkcs11: pip install 'pyhanko[pkcs11]'") from None
    lib = Path(source.pkcs11_lib)
    if not lib.exists():
        raise SigningError(f"{lib}: no such PKCS#11 library (e.g. /usr/lib/softhsm/libsofthsm2.so, or your "
                           "token maker's .so)")
    pin = _ask(secret, f"PIN of token {source.token!r}")
    try:
        session = open_pkcs11_session(str(lib), token_criteria=TokenCriteria(label=source.token),
                                      user_pin=pin.decode("utf-8") if pin is not None else None)
    except p11_errors.PinIncorrect:
        raise SigningError(f"token {source.token!r}: wrong PIN") from None
    except p11_errors.PKCS11Error as exc:  # also pyHanko's "no token matching"
        raise SigningError(f"token {source.token!r} in {lib}: {str(exc) or type(exc).__name__}") from None
    try:
        extra = [c for p in source.chain for c in _asn1_certs(p)]
        signing_cert = _asn1_certs(source.cert)[0] if source.cert else None
        signer = PKCS11Signer(session, key_label=source.key_label,
                              cert_label=None if signing_cert else (source.cert_label or source.key_label),
                              signing_cert=signing_cert, ca_chain=extra or None)
        try:
            signer.signing_cert  # noqa: B018 (finds the key and certificate on the token now)
        except p11_errors.PKCS11Error as exc:
            raise SigningError(f"token {source.token!r}: {str(exc) or type(exc).__name__} "
                               "(see the labels with: pkcs11-tool --module LIB --list-objects --login)") from None
        yield signer
    finally:
        session.close()
