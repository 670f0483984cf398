"""The Agent Market in Python: deployment, the contract client and the reference model.

* :func:`deploy_market` deploys ``AgentMarket`` over REX and sREX.
* :class:`MarketClient` pre-checks and sends every market action (credit, listings,
  jobs, ratings, payouts) and reads listings, versions and jobs as typed views.
* :class:`MarketModel` and :func:`split` model the contract's money exactly; the
  tests compare the contract with them to the wei.
"""

from rexos.market.client import MarketClient, as_spec_hash
from rexos.market.deploy import (
    DEFAULT_POOL_BPS,
    DEFAULT_TREASURY_BPS,
    MARKET_CONTRACTS,
    deploy_market,
)
from rexos.market.model import (
    MAX_JOB_DURATION,
    MAX_POOL_BPS,
    MAX_PRICE,
    MAX_TREASURY_BPS,
    MarketModel,
    Split,
    job_id,
    split,
)
from rexos.market.views import FeeView, JobStatus, JobView, ListingView, VersionView

__all__ = [
    "DEFAULT_POOL_BPS",
    "DEFAULT_TREASURY_BPS",
    "MARKET_CONTRACTS",
    "MAX_JOB_DURATION",
    "MAX_POOL_BPS",
    "MAX_PRICE",
    "MAX_TREASURY_BPS",
    "FeeView",
    "JobStatus",
    "JobView",
    "ListingView",
    "MarketClient",
    "MarketModel",
    "Split",
    "VersionView",
    "as_spec_hash",
    "deploy_market",
    "job_id",
    "split",
]
