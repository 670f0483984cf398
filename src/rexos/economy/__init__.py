"""The REX token economy in pure Python: genesis, vesting, the sREX model, supply.

* :mod:`~rexos.economy.genesis` — parameters from a TOML genesis file and the
  contract constructor arguments derived from them;
* :mod:`~rexos.economy.vesting` — OpenZeppelin vesting arithmetic per bucket;
* :mod:`~rexos.economy.staking` — a wei-exact reference model of ``StakedRex``;
* :mod:`~rexos.economy.supply` — a monthly supply, burn and reward-pool simulation.

Beside them, and not re-exported here because they talk to a chain: the FeeRouter's
deployment (:mod:`~rexos.economy.fee_deploy`), client (:mod:`~rexos.economy.fees`) and its
tick maths (:mod:`~rexos.economy.tick_math`), and an account's AI points
(:mod:`~rexos.economy.points`); see ``docs/explanation/fees.md``.

The rules are specified in ``docs/explanation/economy-spec.md``.
"""

from __future__ import annotations

from rexos.economy.genesis import (
    BENEFICIARIES,
    DAY,
    WAD,
    Beneficiary,
    Bucket,
    DeductionTier,
    DemoParams,
    Genesis,
    StakingArgs,
    StakingParams,
    VestingParams,
    VestingReading,
    load_genesis,
    staking_args,
    vesting_params,
)
from rexos.economy.staking import AccountState, StakingModel, UnstakeResult
from rexos.economy.supply import (
    MONTH,
    SupplyAssumptions,
    SupplyRow,
    csv_header,
    simulate_supply,
    write_chart,
    write_csv,
)
from rexos.economy.vesting import BucketSchedule, schedule_for, vested_amount

__all__ = [
    "BENEFICIARIES",
    "DAY",
    "MONTH",
    "WAD",
    "AccountState",
    "Beneficiary",
    "Bucket",
    "BucketSchedule",
    "DeductionTier",
    "DemoParams",
    "Genesis",
    "StakingArgs",
    "StakingModel",
    "StakingParams",
    "SupplyAssumptions",
    "SupplyRow",
    "UnstakeResult",
    "VestingParams",
    "VestingReading",
    "csv_header",
    "load_genesis",
    "schedule_for",
    "simulate_supply",
    "staking_args",
    "vested_amount",
    "vesting_params",
    "write_chart",
    "write_csv",
]
