"""The transfer graph of the airdrop evaluation set: planted sybil clusters among innocent traffic.

Funding is an ETH transfer into an address; a sweep is a REX transfer out of it to a
collector. Sybil patterns (each cluster's members are snapshot addresses; funders, collectors
and hops are not):

* ``funder``: one funder sends ETH to every member.
* ``collector``: members are funded by known services and all sweep REX to one collector.
* ``funder+collector``: both of the above with the same members.
* ``split``: half the members are funded by one funder, the other half by known services;
  all sweep to one collector (one cluster through the collector).
* ``funder-hop``: the funder sends ETH to a fresh hop per member, the hop funds the member.
* ``collector-hop``: each member sweeps to a fresh hop, every hop sweeps to one collector.

Innocent structure (never to be excluded): known services (two exchange hot wallets, a bridge,
a DEX router) that fund or trade with thousands of unrelated users; families (a parent funding
one or two children, who may send REX back); friend pairs (one funds the other, who pays USDC
back); users depositing to their own exchange deposit address, which sweeps to a hot wallet.
Sybil funders are themselves funded by an exchange, and collectors cash out through one: a
filter that walks through known services merges everything.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

FIRST_BLOCK = 20_000_000

SERVICES = (
    ("exchange-a", "exchange", "Exchange A hot wallet"),
    ("exchange-b", "exchange", "Exchange B hot wallet"),
    ("bridge", "bridge", "Canonical bridge (L2 to L1 withdrawals)"),
    ("router", "dex_router", "DEX aggregator router"),
)


class Graph:
    """Collects transfers; every block is below ``snapshot_block``."""

    def __init__(
        self, rng: random.Random, address: Callable[[str, int], str], snapshot_block: int
    ) -> None:
        self._rng = rng
        self._address = address
        self._last = snapshot_block - 1
        self._count: dict[str, int] = {}
        self._transfers: list[dict[str, Any]] = []
        self._services = {key: address("service", i) for i, (key, _, _) in enumerate(SERVICES)}

    def _new(self, role: str) -> str:
        self._count[role] = self._count.get(role, 0) + 1
        return self._address(role, self._count[role])

    def _send(self, frm: str, to: str, token: str, block: int) -> None:
        r = self._rng
        if token == "ETH":
            amount = r.randrange(2, 200) * 10**15 + r.randrange(0, 10**12)
        elif token == "USDC":
            amount = r.randrange(5, 5000) * 10**6 + r.randrange(0, 10**6)
        else:
            amount = r.randrange(1, 20_000) * 10**18 + r.randrange(0, 10**15)
        assert FIRST_BLOCK <= block <= self._last
        self._transfers.append(
            {"from": frm, "to": to, "token": token, "amount": str(amount), "block": block}
        )

    def _service(self) -> str:
        pick = self._rng.randrange(100)
        key = "exchange-a" if pick < 60 else "exchange-b" if pick < 85 else "bridge"
        return self._services[key]

    def _cash_out(self, holder: str, block: int) -> None:
        deposit = self._new("xdeposit")
        self._send(holder, deposit, "REX", block)
        self._send(deposit, self._services["exchange-a"], "REX", block + self._rng.randrange(5, 50))

    def plant_cluster(self, pattern: str, members: list[str]) -> dict[str, Any]:
        """Plant one sybil cluster; returns its funder, collector and hops (ground truth)."""
        r = self._rng
        t0 = r.randrange(FIRST_BLOCK + 20_000, self._last - 400_000)
        sweep = t0 + r.randrange(50_000, 150_000)
        funder = collector = None
        hops: list[str] = []
        if pattern in ("funder", "funder+collector", "split", "funder-hop"):
            funder = self._new("funder")
            self._send(self._services["exchange-a"], funder, "ETH", t0 - r.randrange(10, 5000))
        if pattern in ("collector", "funder+collector", "split", "collector-hop"):
            collector = self._new("collector")
        funded_by_funder = members
        if pattern == "split":
            funded_by_funder = members[: len(members) // 2]
        elif pattern in ("collector", "collector-hop"):
            funded_by_funder = []
        for member in members:
            block = t0 + r.randrange(0, 400)
            if pattern == "funder-hop":
                assert funder is not None
                hop = self._new("hop")
                hops.append(hop)
                self._send(funder, hop, "ETH", block)
                self._send(hop, member, "ETH", block + r.randrange(1, 30))
            elif member in funded_by_funder:
                assert funder is not None
                self._send(funder, member, "ETH", block)
            else:
                self._send(self._service(), member, "ETH", r.randrange(FIRST_BLOCK, t0))
            if pattern == "collector-hop":
                assert collector is not None
                hop = self._new("hop")
                hops.append(hop)
                at = sweep + r.randrange(0, 400)
                self._send(member, hop, "REX", at)
                self._send(hop, collector, "REX", at + r.randrange(1, 30))
            elif collector is not None:
                self._send(member, collector, "REX", sweep + r.randrange(0, 400))
        if collector is not None:
            self._cash_out(collector, sweep + 1000)
        return {"funder": funder, "collector": collector, "hops": hops}

    def plant_family(self, members: list[str]) -> None:
        """``members[0]`` funds the others; children may send REX back."""
        r = self._rng
        parent, children = members[0], members[1:]
        t0 = r.randrange(FIRST_BLOCK + 10_000, self._last - 200_000)
        if r.random() < 0.8:
            self._send(self._service(), parent, "ETH", t0 - r.randrange(1, 9000))
        for child in children:
            block = t0 + r.randrange(0, 50_000)
            self._send(parent, child, "ETH", block)
            if r.random() < 0.5:
                self._send(child, parent, "REX", block + r.randrange(100, 100_000))

    def plant_friends(self, pair: list[str]) -> None:
        """One friend funds the other, who pays USDC back."""
        r = self._rng
        a, b = pair
        t0 = r.randrange(FIRST_BLOCK + 10_000, self._last - 200_000)
        if r.random() < 0.7:
            self._send(self._service(), a, "ETH", t0 - r.randrange(1, 9000))
        if r.random() < 0.4:
            self._send(self._service(), b, "ETH", t0 - r.randrange(1, 9000))
        self._send(a, b, "ETH", t0)
        self._send(b, a, "USDC", t0 + r.randrange(10, 100_000))

    def fund_from_service(self, user: str) -> bool:
        """With 70 % chance a known service funds ``user``; says whether it did."""
        if self._rng.random() >= 0.7:
            return False
        self._send(self._service(), user, "ETH", self._rng.randrange(FIRST_BLOCK, self._last))
        return True

    def plant_deposits(self, users: list[str], records: dict[str, dict[str, Any]]) -> None:
        """Users with a KYC deposit address often send to it; it sweeps to a hot wallet."""
        r = self._rng
        for user in users:
            kyc = records[user]["kyc"]
            if not kyc or not kyc["deposit_address"] or r.random() >= 0.7:
                continue
            block = r.randrange(FIRST_BLOCK + 1000, self._last - 100)
            self._send(user, kyc["deposit_address"], r.choice(("REX", "USDC")), block)
            hot = self._services["exchange-a" if r.random() < 0.7 else "exchange-b"]
            self._send(kyc["deposit_address"], hot, "REX", block + r.randrange(1, 100))

    def plant_swaps(self, innocent: list[str], sybils: list[str]) -> None:
        """Some users swap USDC for ETH through the router (a known service)."""
        r = self._rng
        router = self._services["router"]
        for user in innocent + sybils:
            if r.random() >= 0.12:
                continue
            block = r.randrange(FIRST_BLOCK + 1000, self._last - 100)
            self._send(user, router, "USDC", block)
            self._send(router, user, "ETH", block + r.randrange(0, 3))

    def known_services(self) -> list[dict[str, str]]:
        return [
            {"address": self._services[key], "kind": kind, "label": label}
            for key, kind, label in SERVICES
        ]

    def transfers(self) -> list[dict[str, Any]]:
        """Every transfer, by block, then sender, receiver and token."""
        return sorted(
            self._transfers,
            key=lambda t: (t["block"], t["from"].lower(), t["to"].lower(), t["token"], t["amount"]),
        )
