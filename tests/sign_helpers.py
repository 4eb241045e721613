"""A test PKI and test images, made at run time: a CA, an organisation and a signer certificate
(cryptography), a blue signature and a red seal (Pillow). Nothing here is committed as a file."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PASSPHRASE = "mật-khẩu-thử"


def _name(common: str, organisation: str | None = None) -> x509.Name:
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, "VN")]
    if organisation:
        parts.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation))
    parts.append(x509.NameAttribute(NameOID.COMMON_NAME, common))
    return x509.Name(parts)


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Issued:
    key: object
    cert: x509.Certificate

    def pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def make_ca(common: str = "CA Thử nghiệm dispatch-gen") -> Issued:
    key = _key()
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common)).issuer_name(_name(common))
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                         crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
            .sign(key, hashes.SHA256()))
    return Issued(key, cert)


def issue_cert(ca: Issued, common: str, organisation: str | None = None, key=None) -> Issued:
    key = key or _key()
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(_name(common, organisation)).issuer_name(ca.cert.subject)
            .public_key(key.public_key() if hasattr(key, "public_key") else key)
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=730))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False)
            .sign(ca.key, hashes.SHA256()))
    return Issued(key, cert)


def write_p12(path: Path, who: Issued, ca: Issued, passphrase: str | None = PASSPHRASE) -> Path:
    enc = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
           else serialization.NoEncryption())
    path.write_bytes(pkcs12.serialize_key_and_certificates(b"test", who.key, who.cert, [ca.cert], enc))
    return path


def write_pem(folder: Path, stem: str, who: Issued, passphrase: str | None = None) -> tuple[Path, Path]:
    enc = (serialization.BestAvailableEncryption(passphrase.encode()) if passphrase
           else serialization.NoEncryption())
    key = folder / f"{stem}.key"
    key.write_bytes(who.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, enc))
    cert = folder / f"{stem}.pem"
    cert.write_bytes(who.pem())
    return key, cert


BLUE = (20, 40, 200)
RED = (220, 20, 30)


def signature_png(path: Path) -> Path:
    """A handwritten-looking blue stroke on a transparent background, 5:2."""
    from PIL import Image, ImageDraw

    img = Image.new("RGBA", (500, 200), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    points = [(30, 150), (90, 40), (140, 160), (200, 50), (260, 150), (330, 60), (400, 140), (470, 70)]
    draw.line(points, fill=BLUE + (255,), width=14, joint="curve")
    draw.line([(40, 175), (460, 165)], fill=BLUE + (255,), width=8)
    img.save(path, dpi=(300, 300))
    return path


def seal_png(path: Path, mm: float = 34.0) -> Path:
    """A round red seal with rings and a star, real size recorded as 300 dpi."""
    from PIL import Image, ImageDraw

    px = round(mm / 25.4 * 300)
    img = Image.new("RGBA", (px, px), (0, 0, 0, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse((4, 4, px - 5, px - 5), outline=RED + (255,), width=14)
    draw.ellipse((px * 0.2, px * 0.2, px * 0.8, px * 0.8), outline=RED + (255,), width=8)
    c, r = px / 2, px * 0.18
    import math
    star = [(c + (r if i % 2 == 0 else r / 2.5) * math.sin(i * math.pi / 5),
             c - (r if i % 2 == 0 else r / 2.5) * math.cos(i * math.pi / 5)) for i in range(10)]
    draw.polygon(star, fill=RED + (255,))
    img.save(path, dpi=(300, 300))
    return path
