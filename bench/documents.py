"""The "documents" scenario: time to generate a contract document (PDF) for a contract with
10 shops and 18 fee lines and the tenant's logo (goal: under 200 ms). `python -m bench.documents`.

It renders the same snapshot the API renders (resolvers.documents builds it from the
database; resolvers.contract_pdf draws it), in French, with the bank details in full, 5
warm-up renderings then 50 measured ones, and checks that every rendering has the same
sha256 (the bytes are deterministic). Loading the snapshot from PostgreSQL is a handful of
statements and is not included.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import time
from typing import Any

from resolvers.contract_pdf import ACQUIRER, TERMS_VERSION, render

GOAL_MS = 200.0


def logo() -> bytes:
    """A partner's logo as a PNG (drawn here: the same bytes every time)."""
    from pathlib import Path

    import reportlab
    from PIL import Image, ImageDraw, ImageFont  # ReportLab's own dependency

    fonts = Path(reportlab.__file__).parent / "fonts"
    bold = ImageFont.truetype(str(fonts / "VeraBd.ttf"), 34)
    regular = ImageFont.truetype(str(fonts / "Vera.ttf"), 26)
    picture = Image.new("RGB", (360, 120), (255, 255, 255))
    draw = ImageDraw.Draw(picture)
    draw.rounded_rectangle((4, 4, 356, 116), radius=24, fill=(14, 94, 140))
    draw.ellipse((22, 22, 98, 98), fill=(250, 190, 40))
    draw.text((118, 22), "Monétik", fill=(255, 255, 255), font=bold)
    draw.text((118, 66), "Alizés", fill=(250, 190, 40), font=regular)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def snapshot(shops: int = 10) -> dict[str, Any]:
    """A contract of `shops` shops and 18 fee lines (6 schemes × 3 regions)."""
    address = {
        "line1": "12 rue Frébault",
        "line2": None,
        "postalCode": "97110",
        "city": "Pointe-à-Pitre",
        "country": "FR",
    }
    schemes = ("CB", "VISA", "MASTERCARD", "AMEX", "MAESTRO", "VPAY")
    regions = ("DOMESTIC", "EEA", "INTERNATIONAL")
    return {
        "kind": "CONTRACT",
        "acquirer": ACQUIRER,
        "partner": "Monétik Alizés",
        "logo": {"sha256": hashlib.sha256(logo()).hexdigest(), "contentType": "image/png"},
        "contract": {
            "number": "MP-2026-000042",
            "date": "2026-12-05",
            "termsVersion": TERMS_VERSION,
            "serviceKinds": ["PAY_ON_SITE", "PAYWISH_SOFTPOS"],
            "currency": "EUR",
        },
        "company": {
            "legalName": "Boulangerie de la Darse SAS",
            "tradeName": "La Darse",
            "legalForm": "SAS",
            "siren": "732829320",
            "address": address,
            "iban": "FR7630006000011234567890189",
            "bic": "AGRIFRPP",
        },
        "shops": [
            {"name": f"La Darse {i + 1}", "siret": f"73282932{i + 1:05d}0", "address": address}
            for i in range(shops)
        ],
        "fees": {
            "version": 1,
            "effectiveFrom": "2026-12-05",
            "currency": "EUR",
            "terminalRentalMonthly": 2500,
            "softposFeeMonthly": 990,
            "lines": [
                {"scheme": s, "region": r, "rateBps": 25 + 5 * i, "fixedFee": 5 + j}
                for i, s in enumerate(schemes)
                for j, r in enumerate(regions)
            ],
        },
    }


def measure(runs: int = 50, warmup: int = 5) -> dict[str, float]:
    data = snapshot()
    image = logo()
    hashes = set()
    for _ in range(warmup):
        hashes.add(hashlib.sha256(render(data, "fr", image)).hexdigest())
    times = []
    size = 0
    for _ in range(runs):
        started = time.perf_counter()
        content = render(data, "fr", image)
        times.append((time.perf_counter() - started) * 1000)
        hashes.add(hashlib.sha256(content).hexdigest())
        size = len(content)
    times.sort()
    return {
        "median_ms": statistics.median(times),
        "p95_ms": times[int(len(times) * 0.95) - 1],
        "max_ms": times[-1],
        "bytes": float(size),
        "distinct_hashes": float(len(hashes)),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args(argv)
    result = measure(args.runs)
    met = result["p95_ms"] < GOAL_MS and result["distinct_hashes"] == 1
    print(
        "documents: contract PDF, 10 shops, 18 fee lines, a logo: "
        f"median {result['median_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms, "
        f"{int(result['bytes']):,} bytes, {int(result['distinct_hashes'])} distinct sha256 "
        f"(goal p95 < {GOAL_MS:.0f} ms, 1 hash): {'met' if met else 'missed'}"
    )
    return 0 if met else 1


if __name__ == "__main__":
    raise SystemExit(main())
