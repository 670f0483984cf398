"""Per-address attributes for the airdrop evaluation set, and the rules they are judged by.

The rules are the seed's defaults, read literally (README.md, "Readings"): an address is
eligible when it meets any criterion; a criterion compares integers with the stated strict
inequality; only 3-star and 4-star Catto NFTs count; KYC needs a non-empty UID and a
non-empty deposit address.

Profiles: ``none`` fails every criterion; ``boundary`` starts from ``none`` and puts one or two
attributes on a threshold; ``single`` meets exactly one criterion clearly; ``mixed`` draws every
attribute from a wide mixture; ``farmer`` (sybil members) meets one or two cheap criteria.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

CRITERIA = ("kyc", "nft", "loyalty", "dao_sbt", "product", "premium", "ai")

Record = dict[str, Any]


def criteria_met(rec: Record) -> list[str]:
    """The criteria ``rec`` meets, in ``CRITERIA`` order (the answer key's reading)."""
    kyc = rec["kyc"]
    met = []
    if kyc is not None and kyc["uid"] and kyc["deposit_address"]:
        met.append("kyc")
    if rec["catto_nft_stars"] in (3, 4):
        met.append("nft")
    if rec["loyalty_points"] > 499:
        met.append("loyalty")
    if rec["dao_points"] > 99 and rec["sbt_level"] > 2:
        met.append("dao_sbt")
    if rec["product_points"] > 1999:
        met.append("product")
    if rec["premium_points"] > 0:
        met.append("premium")
    if rec["ai_points"] > 0:
        met.append("ai")
    return met


def traps(rec: Record) -> list[str]:
    """Tags naming each attribute of ``rec`` that sits on or next to a threshold."""
    tags = []
    kyc = rec["kyc"]
    if kyc is not None:
        for field in ("uid", "deposit_address"):
            if kyc[field] is None:
                tags.append(f"kyc:{field}-null")
            elif kyc[field] == "":
                tags.append(f"kyc:{field}-empty")
    if rec["catto_nft_stars"] == 5:
        tags.append("nft:5-star")
    if 498 <= rec["loyalty_points"] <= 501:
        tags.append(f"loyalty:{rec['loyalty_points']}")
    dao, sbt = rec["dao_points"], rec["sbt_level"]
    if dao in (99, 100):
        tags.append(f"dao:{dao},sbt:{sbt}")
    elif dao > 99 and sbt <= 2:
        tags.append("dao>99,sbt<=2")
    elif dao > 99 and sbt == 3:
        tags.append("dao>99,sbt:3")
    elif 0 < dao <= 99 and sbt > 2:
        tags.append("dao<=99,sbt>2")
    if 1998 <= rec["product_points"] <= 2001:
        tags.append(f"product:{rec['product_points']}")
    if rec["premium_points"] == 1:
        tags.append("premium:1")
    if rec["ai_points"] == 1:
        tags.append("ai:1")
    return tags


class Profiles:
    """Draws attribute records from ``rng``; deposit addresses come from ``address``."""

    def __init__(self, rng: random.Random, address: Callable[[str, int], str]) -> None:
        self._rng = rng
        self._address = address
        self._deposits = 0
        self._uids: set[str] = set()

    def _deposit(self) -> str:
        self._deposits += 1
        return self._address("deposit", self._deposits)

    def _uid(self) -> str:
        while True:
            uid = str(self._rng.randrange(10_000_000, 100_000_000))
            if uid not in self._uids:
                self._uids.add(uid)
                return uid

    def kyc_complete(self) -> dict[str, str | None]:
        return {"uid": self._uid(), "deposit_address": self._deposit()}

    def kyc_incomplete(self) -> dict[str, str | None]:
        kind = self._rng.choice(("uid-empty", "uid-null", "deposit-null", "deposit-empty"))
        return {
            "uid": {"uid-empty": "", "uid-null": None}.get(kind, self._uid()),
            "deposit_address": {"deposit-null": None, "deposit-empty": ""}.get(
                kind, self._deposit()
            ),
        }

    def none(self) -> Record:
        """Fails every criterion (sometimes near a threshold, never over it)."""
        r = self._rng
        if r.random() < 0.5:
            dao, sbt = r.randrange(0, 100), r.randrange(0, 6)
        else:
            dao, sbt = r.choice((0, r.randrange(0, 5000))), r.randrange(0, 3)
        return {
            "kyc": self.kyc_incomplete() if r.random() < 0.06 else None,
            "catto_nft_stars": r.choice((0,) * 14 + (1, 2, 2, 2, 2, 5)),
            "loyalty_points": r.choice((0, 0, r.randrange(0, 500))),
            "dao_points": dao,
            "sbt_level": sbt,
            "product_points": r.choice((0, 0, r.randrange(0, 2000))),
            "premium_points": 0,
            "ai_points": 0,
        }

    def _edge(self, rec: Record) -> None:
        r = self._rng
        kind = r.randrange(8)
        if kind == 0:
            rec["loyalty_points"] = r.choice((498, 499, 499, 500, 500, 501))
        elif kind == 1:
            high = (r.randrange(100, 9000), 2), (r.randrange(100, 9000), 1)
            edges = ((99, 3), (100, 3), (100, 2), (99, 2), (99, 5), (100, 5), (100, 0))
            rec["dao_points"], rec["sbt_level"] = r.choice((*edges, *high, (0, 5), (50, 4)))
        elif kind == 2:
            rec["product_points"] = r.choice((1998, 1999, 1999, 2000, 2000, 2001))
        elif kind == 3:
            rec["premium_points"] = r.choice((0, 1))
        elif kind == 4:
            rec["ai_points"] = r.choice((0, 1))
        elif kind == 5:
            rec["catto_nft_stars"] = r.choice((2, 3, 4, 5, 5))
        else:
            rec["kyc"] = self.kyc_incomplete() if r.random() < 0.7 else self.kyc_complete()

    def boundary(self) -> Record:
        """A ``none`` record with one or two attributes put on a threshold."""
        rec = self.none()
        for _ in range(1 if self._rng.random() < 0.8 else 2):
            self._edge(rec)
        return rec

    def _meet(self, rec: Record, criterion: str) -> None:
        r = self._rng
        if criterion == "kyc":
            rec["kyc"] = self.kyc_complete()
        elif criterion == "nft":
            rec["catto_nft_stars"] = r.choice((3, 4))
        elif criterion == "loyalty":
            rec["loyalty_points"] = r.randrange(500, 20_000)
        elif criterion == "dao_sbt":
            rec["dao_points"], rec["sbt_level"] = r.randrange(100, 10_000), r.randrange(3, 6)
        elif criterion == "product":
            rec["product_points"] = r.randrange(2000, 200_000)
        elif criterion == "premium":
            rec["premium_points"] = r.randrange(1, 5000)
        else:
            rec["ai_points"] = r.randrange(1, 500_000)

    def single(self) -> Record:
        """Meets exactly one criterion, clearly."""
        rec = self.none()
        self._meet(rec, self._rng.choice(CRITERIA))
        return rec

    def mixed(self) -> Record:
        """Every attribute from a wide mixture; usually meets several criteria."""
        rec = self.none()
        for criterion in CRITERIA:
            if self._rng.random() < 0.3:
                self._meet(rec, criterion)
        if self._rng.random() < 0.3:
            self._edge(rec)
        return rec

    def ordinary(self) -> Record:
        """A non-sybil address: none 25 %, boundary 30 %, single 15 %, mixed 30 %."""
        pick = self._rng.randrange(100)
        if pick < 25:
            return self.none()
        if pick < 55:
            return self.boundary()
        if pick < 70:
            return self.single()
        return self.mixed()

    def farmer(self) -> Record:
        """A sybil member: 85 % meet one or two cheap criteria, a few hold KYC."""
        r = self._rng
        rec = self.none()
        if r.random() < 0.85:
            for _ in range(r.choice((1, 1, 2))):
                cheap = r.randrange(4)
                if cheap == 0:
                    rec["loyalty_points"] = r.randrange(500, 560)
                elif cheap == 1:
                    rec["premium_points"] = r.randrange(1, 4)
                elif cheap == 2:
                    rec["ai_points"] = r.randrange(1, 40)
                else:
                    rec["product_points"] = r.randrange(2000, 2100)
        roll = r.random()
        if roll < 0.04:
            rec["kyc"] = self.kyc_complete()
        elif roll < 0.10:
            rec["kyc"] = self.kyc_incomplete()
        return rec
