"""The trading bot: rule-based strategies (DCA, limit, take-profit/stop-loss) that a
scheduler runs, unattended, through the Wallet agent and its policy.

:mod:`~rexos.bot.strategies` holds the validated strategies and their firing rules,
:class:`BotStore` their state in SQLite, :class:`Scheduler` one tick at the chain's time
against a :class:`Venue`. The bot imports no agent: the venue that sends its trades — the
Wallet agent's swap action, each move sent only when the policy allows it without a human's
confirmation — is wired at the composition layer (:mod:`rexos.plugins.bot_venue`).
"""

from rexos.bot.fake import FakeVenue
from rexos.bot.scheduler import Event, Scheduler, Trade, TradeBlocked, Venue, intent_key
from rexos.bot.setup import open_bot_store, schedule
from rexos.bot.store import BotStore, Fire, Status, StoredStrategy
from rexos.bot.strategies import (
    Dca,
    Limit,
    Progress,
    Strategy,
    TakeProfitStopLoss,
    Trigger,
    check_tokens,
    parse_interval,
    parse_strategy,
)

__all__ = [
    "BotStore",
    "Dca",
    "Event",
    "FakeVenue",
    "Fire",
    "Limit",
    "Progress",
    "Scheduler",
    "Status",
    "StoredStrategy",
    "Strategy",
    "TakeProfitStopLoss",
    "Trade",
    "TradeBlocked",
    "Trigger",
    "Venue",
    "check_tokens",
    "intent_key",
    "open_bot_store",
    "parse_interval",
    "parse_strategy",
    "schedule",
]
