"""Random spreads shared by the synthetic records: skewed taxonomy terms (a
few popular, most rare) and positions jittered around a known place."""

import itertools
import random
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Terms:
    """One taxonomy's term ids with skewed weights: a few terms are popular."""

    ids: list[int]
    cum_weights: list[float] = field(default_factory=list)

    @classmethod
    def load(cls, queryset, rng: random.Random) -> "Terms":
        ids = list(queryset.order_by("pk").values_list("pk", flat=True))
        rng.shuffle(ids)
        weights = [1 / (rank + 1) ** 0.8 for rank in range(len(ids))]
        return cls(ids, list(itertools.accumulate(weights)))

    def pick(self, rng: random.Random) -> list[int]:
        """One to three distinct terms."""
        wanted = min(rng.randint(1, 3), len(self.ids))
        chosen: list[int] = []
        for _attempt in range(wanted * 8):
            term = rng.choices(self.ids, cum_weights=self.cum_weights)[0]
            if term not in chosen:
                chosen.append(term)
            if len(chosen) == wanted:
                break
        return chosen

    def pick_one(self, rng: random.Random) -> int:
        return rng.choices(self.ids, cum_weights=self.cum_weights)[0]


def jitter(value: Decimal, rng: random.Random) -> Decimal:
    return (value + Decimal(rng.uniform(-0.05, 0.05))).quantize(Decimal("0.00001"))
