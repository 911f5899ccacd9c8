"""A TEST certificate, signature and seal for Xã Hà Tây, so signing in the portal can be tried.

Nothing here is a real certificate: the subject says (TEST), it is self-signed, and its password
is printed by seed_demo.
"""

import io
import math
from datetime import timedelta

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12
from cryptography.x509.oid import NameOID
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

DEMO_CERTIFICATE_PASSWORD = "ChuKySo@2026"
BLUE = (20, 40, 160, 255)
RED = (210, 20, 30, 255)


def make_test_p12(common_name, organisation, password, days=730, key=None):
    """A self-signed certificate and its key (RSA-2048 unless ``key`` is given) in a PKCS#12 file
    protected by ``password``."""
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organisation),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )
    now = timezone.now()
    usage = x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_cert_sign=True,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )
    return pkcs12.serialize_key_and_certificates(
        common_name.encode(), key, cert, None, BestAvailableEncryption(password.encode())
    )


def _png(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(300, 300))
    return buffer.getvalue()


def signature_png():
    """A blue pen stroke on a transparent background, like a scanned signature."""
    image = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    points = [(40 + x * 5, 130 + 55 * math.sin(x / 9) * math.exp(-x / 140)) for x in range(105)]
    draw.line(points, fill=BLUE, width=9, joint="curve")
    draw.line([(120, 200), (560, 170)], fill=BLUE, width=7)
    return _png(image)


def seal_png():
    """A red round seal (two rings and a star) on a transparent background."""
    size = 420
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse([6, 6, size - 6, size - 6], outline=RED, width=14)
    draw.ellipse([80, 80, size - 80, size - 80], outline=RED, width=6)
    centre, outer, inner = size / 2, 60, 24
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(i * math.pi / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(i * math.pi / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=RED)
    return _png(image)


def seed_certificates():
    """The TEST certificate of Xã Hà Tây (kept if it exists). Returns (certificate, password)."""
    from demo.registry import HA_TAY
    from reports.models import CommuneCertificate
    from teams.models import Commune

    commune = Commune.objects.filter(code=HA_TAY).first()
    if commune is None:
        return None, DEMO_CERTIFICATE_PASSWORD
    existing = CommuneCertificate.objects.filter(commune=commune).first()
    if existing:
        return existing, DEMO_CERTIFICATE_PASSWORD
    p12 = make_test_p12("UBND xã Hà Tây (TEST)", "UBND xã Hà Tây (TEST)", DEMO_CERTIFICATE_PASSWORD)
    certificate = CommuneCertificate(commune=commune)
    certificate.set_p12(p12, DEMO_CERTIFICATE_PASSWORD)
    certificate.signature_image.save("chu-ky-thu-nghiem.png", ContentFile(signature_png()), save=False)
    certificate.seal_image.save("con-dau-thu-nghiem.png", ContentFile(seal_png()), save=False)
    certificate.save()
    return certificate, DEMO_CERTIFICATE_PASSWORD
