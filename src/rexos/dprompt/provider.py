"""Provider-side helpers of DPrompt: register with a stake, read status, unbond, withdraw.

Answering requests goes through :meth:`rexos.dprompt.client.Client.respond`.
"""

from __future__ import annotations

from collections.abc import Sequence

from rexos.chain.tx import Receipt, Transactor
from rexos.dprompt._base import BookReader, read
from rexos.dprompt.deploy import model_key
from rexos.dprompt.views import ProviderStatus
from rexos.errors import InsufficientBalance, UsageError
from rexos.types import Address, display_units, format_units

__all__ = ["ProviderClient"]


class ProviderClient(BookReader):
    """The ``ProviderRegistry`` of one deployment, for providers."""

    def status(self, address: Address) -> ProviderStatus:
        """Registration, price, reputation counters and stake of ``address``."""
        f = self.registry.functions
        info = read(f.infoOf(address), "provider info")
        stake = read(f.stakeOf(address), "provider stake")
        models = read(f.modelsOf(address), "provider models")
        return ProviderStatus(
            address=address,
            registered=bool(info[4]),
            price=int(info[0]),
            answered=int(info[1]),
            timed_out=int(info[2]),
            slashed=int(info[3]),
            bonded=int(stake[0]),
            unbonding=int(stake[1]),
            unbonding_ready=int(stake[2]),
            models=tuple(bytes(m) for m in models),
        )

    def register(
        self, signer: Transactor, models: Sequence[str], price: int, stake: int
    ) -> Receipt:
        """Stake ``stake`` REX wei and serve ``models`` at ``price`` REX wei a request."""
        if not models:
            raise UsageError("a provider must serve at least one model")
        for model_id in models:
            active, _ = read(self.models.functions.requestLimits(model_key(model_id)), "model")
            if not active:
                raise UsageError(f"unknown model {model_id!r}: not registered or deactivated")
        if self.status(signer.address).registered:
            raise UsageError(f"{signer.address} is already a registered provider")
        minimum = int(read(self.registry.functions.minStake(), "minimum stake"))
        if stake < minimum:
            raise UsageError(
                f"stake too low: {format_units(stake)} REX, at least {format_units(minimum)} REX"
            )
        balance = int(read(self.rex.functions.balanceOf(signer.address), "REX balance"))
        if stake > balance:
            raise InsufficientBalance(
                f"cannot stake {display_units(stake)} REX: {signer.address} holds "
                f"{display_units(balance)} REX"
            )
        spender = self.registry.address
        allowance = int(read(self.rex.functions.allowance(signer.address, spender), "allowance"))
        if allowance < stake:
            signer.send(self.rex.functions.approve(spender, stake), action="approve REX")
        keys = [model_key(m) for m in models]
        call = self.registry.functions.register(keys, price, stake)
        return signer.send(call, action="register provider")

    def request_withdrawal(self, signer: Transactor, amount: int) -> Receipt:
        """Move ``amount`` of bonded stake to unbonding (still slashable until ready)."""
        bonded = self.status(signer.address).bonded
        if amount <= 0 or amount > bonded:
            raise InsufficientBalance(
                f"cannot unbond {display_units(amount)} REX: {display_units(bonded)} REX bonded"
            )
        call = self.registry.functions.requestWithdrawal(amount)
        return signer.send(call, action="request withdrawal")

    def withdraw(self, signer: Transactor) -> Receipt:
        """Take unbonded stake back once the unbonding period is over."""
        s = self.status(signer.address)
        if s.unbonding == 0:
            raise UsageError(f"{signer.address} has no unbonding stake")
        if self.now() + 1 < s.unbonding_ready:
            raise UsageError(f"unbonding stake is locked until {s.unbonding_ready}")
        return signer.send(self.registry.functions.withdraw(), action="withdraw stake")
