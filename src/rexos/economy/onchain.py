"""Python client for the deployed economy contracts (REX, sREX, vesting).

Pre-checks every action so that the common mistakes (more than the balance,
more than staked) fail with one clear error before any transaction is built.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from web3 import Web3
from web3.contract import Contract

from rexos.chain.artifacts import load_artifact
from rexos.chain.manifest import Manifest
from rexos.chain.tx import Receipt, Transactor, reverts_as
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import Address, display_units

__all__ = ["Economy", "Position", "UnstakeOutcome", "VestingStatus"]

VESTING_PREFIX = "RexVesting:"


@dataclass(frozen=True, slots=True)
class Position:
    """A staker's position, read from the chain."""

    address: Address
    staked: int
    entry_time: int
    holding_age: int
    earned: int
    points: int
    deduction_bps: int
    rex_balance: int


@dataclass(frozen=True, slots=True)
class UnstakeOutcome:
    """What one unstake did, from its ``Unstaked`` event."""

    amount: int
    received: int
    deduction: int
    burned: int
    receipt: Receipt


@dataclass(frozen=True, slots=True)
class VestingStatus:
    """One vesting bucket at one moment."""

    bucket: str
    address: Address
    beneficiary: Address
    allocation: int
    vested: int
    released: int
    releasable: int
    start: int
    end: int


def _bind(web3: Web3, name: str, address: str) -> Contract:
    return web3.eth.contract(address=Web3.to_checksum_address(address), abi=load_artifact(name).abi)


class Economy:
    """The REX economy of one deployment."""

    def __init__(self, web3: Web3, manifest: Manifest) -> None:
        self.web3 = web3
        self.manifest = manifest
        self.rex = _bind(web3, "RexToken", manifest.address("RexToken"))
        self.staked = _bind(web3, "StakedRex", manifest.address("StakedRex"))
        self.vesting = {
            key[len(VESTING_PREFIX) :]: _bind(web3, "RexVesting", address)
            for key, address in manifest.contracts.items()
            if key.startswith(VESTING_PREFIX)
        }

    def _view(self, fn: Any, what: str) -> Any:
        with reverts_as(f"read {what}"):
            return fn.call()

    def now(self) -> int:
        """Timestamp of the latest block."""
        with reverts_as("read the latest block"):
            return int(self.web3.eth.get_block("latest")["timestamp"])

    def rex_balance(self, address: Address) -> int:
        return int(self._view(self.rex.functions.balanceOf(address), "REX balance"))

    def position(self, address: Address) -> Position:
        f = self.staked.functions
        account = self._view(f.accountOf(address), "staking position")
        age = int(self._view(f.holdingAge(address), "holding age"))
        return Position(
            address=address,
            staked=int(account[0]),
            entry_time=int(account[1]),
            holding_age=age,
            earned=int(self._view(f.earned(address), "earned rewards")),
            points=int(self._view(f.points(address), "AI points")),
            deduction_bps=int(self._view(f.deductionRate(age), "deduction rate")),
            rex_balance=self.rex_balance(address),
        )

    def stake(self, signer: Transactor, amount: int) -> Receipt:
        """Approve (if needed) and stake ``amount`` REX wei."""
        balance = self.rex_balance(signer.address)
        if amount > balance:
            raise InsufficientBalance(
                f"cannot stake {display_units(amount)} REX: {signer.address} holds "
                f"{display_units(balance)} REX"
            )
        allowance = int(
            self._view(
                self.rex.functions.allowance(signer.address, self.staked.address), "allowance"
            )
        )
        if allowance < amount:
            signer.send(
                self.rex.functions.approve(self.staked.address, amount), action="approve REX"
            )
        return signer.send(self.staked.functions.stake(amount), action="stake")

    def require_staked(self, address: Address, amount: int) -> int:
        """The sREX balance of ``address``; :class:`InsufficientBalance` if below ``amount``."""
        staked = int(self._view(self.staked.functions.balanceOf(address), "staked balance"))
        if amount > staked:
            raise InsufficientBalance(
                f"cannot unstake {display_units(amount)} sREX: {address} has "
                f"{display_units(staked)} staked"
            )
        return staked

    def unstake(self, signer: Transactor, amount: int) -> UnstakeOutcome:
        """Unstake ``amount`` sREX wei; the deduction follows the holding age."""
        self.require_staked(signer.address, amount)
        receipt = signer.send(self.staked.functions.unstake(amount), action="unstake")
        event = receipt.events(self.staked, "Unstaked")[0]
        return UnstakeOutcome(
            amount=int(event["amount"]),
            received=int(event["received"]),
            deduction=int(event["deduction"]),
            burned=int(event["burned"]),
            receipt=receipt,
        )

    def claim(self, signer: Transactor) -> tuple[int, Receipt]:
        """Claim accrued staking rewards; return the amount and the receipt."""
        receipt = signer.send(self.staked.functions.claim(), action="claim")
        events = receipt.events(self.staked, "RewardClaimed")
        return (int(events[0]["amount"]) if events else 0), receipt

    def vesting_status(self) -> list[VestingStatus]:
        """Every vesting bucket as of the latest block."""
        now = self.now()
        rows: list[VestingStatus] = []
        for bucket, wallet in sorted(self.vesting.items()):
            f = wallet.functions
            vested_now = int(self._view(f.vestedAmount(self.rex.address, now), "vested amount"))
            released = int(self._view(f.released(self.rex.address), "released amount"))
            held = self.rex_balance(Address(wallet.address))
            rows.append(
                VestingStatus(
                    bucket=bucket,
                    address=Address(wallet.address),
                    beneficiary=Address(self._view(f.owner(), "beneficiary")),
                    allocation=held + released,
                    vested=vested_now,
                    released=released,
                    releasable=vested_now - released,
                    start=int(self._view(f.start(), "vesting start")),
                    end=int(self._view(f.end(), "vesting end")),
                )
            )
        return rows

    def release(self, signer: Transactor, bucket: str) -> tuple[int, Receipt]:
        """Release what has vested in ``bucket`` to its beneficiary."""
        if bucket not in self.vesting:
            known = ", ".join(sorted(self.vesting))
            raise UsageError(f"unknown vesting bucket {bucket!r} (known: {known})")
        wallet = self.vesting[bucket]
        status = next(row for row in self.vesting_status() if row.bucket == bucket)
        if status.releasable == 0:
            raise UsageError(
                f"nothing to release from {bucket} yet: {display_units(status.vested)} REX "
                f"vested, {display_units(status.released)} already released"
            )
        receipt = signer.send(
            wallet.functions.release(self.rex.address), action=f"release {bucket}"
        )
        events = receipt.events(wallet, "ERC20Released")
        return (int(events[0]["amount"]) if events else 0), receipt
