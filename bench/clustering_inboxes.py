"""Many labelled inboxes generated from the shared sets, for judging grouping by its worst case.

One development set says little about the inboxes grouping was not tuned on: DSTC11
development scored pair precision 0.95 at a similarity where two held-out realistic inboxes
scored 0.88. So the grouping is judged on many inboxes built from the shared sets, each a
different mix of sizes, intents and domains, and on the worst of them, not the mean:

- `realistic`: DSTC11 development (insurance) subsampled at 200-913 messages, restricted to
  10-18 of its intents, and resampled with repeats at 1,200-2,000; CLINC150's banking and
  credit-card domains (held out of the intent model's training) alone and together; each
  of its other eight domains; mixes of three domains; DSTC11 with a CLINC150 domain.
- `fine`: Banking77 train (77 close banking intents) at 3,080 messages (its test set's
  size), at 10,000, and restricted to 20 or 40 intents.

Each inbox names its `source`, the data set it came from, for leave-one-dataset-out
cross-validation of anything fitted on them. Embeddings are cached in /tmp per file and
model, so each CSV is embedded once.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from sift.ai.embeddings import LOCAL_MODELS, MiniLMOnnxEmbedder

CLINC_DOMAINS = {
    domain: intents.split()
    for domain, intents in {
        "kitchen": "ingredient_substitution cook_time meal_suggestion recipe "
        "restaurant_reservation restaurant_reviews restaurant_suggestion accept_reservations "
        "calories nutrition_info confirm_reservation cancel_reservation how_busy "
        "ingredients_list food_last",
        "home": "shopping_list shopping_list_update next_song play_music update_playlist "
        "todo_list todo_list_update calendar calendar_update what_song order order_status "
        "reminder reminder_update smart_home",
        "auto": "traffic directions gas gas_type distance current_location mpg oil_change_when "
        "oil_change_how jump_start uber schedule_maintenance last_maintenance tire_pressure "
        "tire_change",
        "travel": "book_flight book_hotel car_rental travel_suggestion travel_alert "
        "travel_notification carry_on timezone vaccines translate flight_status "
        "international_visa lost_luggage plug_type exchange_rate",
        "utility": "time alarm share_location find_phone weather text spelling make_call timer "
        "date calculator measurement_conversion flip_coin roll_dice definition",
        "work": "direct_deposit pto_request taxes payday w2 pto_balance pto_request_status "
        "next_holiday insurance insurance_change schedule_meeting pto_used meeting_schedule "
        "rollover_401k income",
        "small_talk": "greeting goodbye tell_joke where_are_you_from how_old_are_you "
        "what_is_your_name who_made_you thank_you what_can_i_ask_you what_are_your_hobbies "
        "do_you_have_pets are_you_a_bot meaning_of_life who_do_you_work_for fun_fact",
        "meta": "change_ai_name change_user_name cancel user_name reset_settings whisper_mode "
        "repeat no yes maybe change_language change_accent change_volume change_speed "
        "sync_device",
        "banking": "account_blocked balance bill_balance bill_due freeze_account interest_rate "
        "min_payment order_checks pay_bill pin_change report_fraud routing spending_history "
        "transactions transfer",
        "credit_cards": "apr application_status card_declined credit_limit credit_limit_change "
        "credit_score damaged_card expiration_date improve_credit_score international_fees "
        "new_card redeem_rewards replacement_card_duration report_lost_card rewards_balance",
    }.items()
}
"""CLINC150's ten domains (its `domains.json`); the converted CSVs keep only the intent."""
UNSEEN_DOMAINS = ("banking", "credit_cards")
"""The domains `bench/train_intent_embedder.py` leaves out of the intent model's training."""


@dataclass(frozen=True)
class LabelledSet:
    vectors: np.ndarray
    labels: list[str]

    def rows_of(self, intents: Sequence[str]) -> list[int]:
        wanted = set(intents)
        return [row for row, label in enumerate(self.labels) if label in wanted]


@dataclass(frozen=True)
class Inbox:
    """One generated inbox: its messages' vectors and intents, in no particular order."""

    name: str
    family: str  # "realistic" or "fine"
    source: str  # the data set it was drawn from, the unit of cross-validation
    vectors: np.ndarray
    labels: list[str]


def load(path: str | Path, model: str) -> tuple[np.ndarray, list[str]]:
    """A `text,category` CSV's embeddings (cached in /tmp) and categories.

    The cache is keyed by the model graph's own digest too, so a retrained model never
    reads the vectors of the one before it."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    weights = hashlib.sha256(LOCAL_MODELS[model][1]().read_bytes()).hexdigest()
    key = hashlib.sha256(f"{Path(path).resolve()}:{model}:{weights}".encode()).hexdigest()[:16]
    cache = Path(f"/tmp/sift_tune_{key}.npy")
    if cache.exists() and len(vectors := np.load(cache)) == len(rows):
        return vectors, [row["category"] for row in rows]
    vectors = MiniLMOnnxEmbedder(model=model).embed([row["text"] for row in rows])
    np.save(cache, vectors)
    return vectors, [row["category"] for row in rows]


def load_sets(data: Path, model: str) -> dict[str, LabelledSet]:
    """DSTC11 development, CLINC150 test + validation (50 messages per intent) and
    Banking77 train, embedded by `model`."""
    clinc = [load(data / "clinc150" / name, model) for name in ("test.csv", "val.csv")]
    return {
        "dstc11": LabelledSet(*load(data / "dstc11" / "development.csv", model)),
        "clinc150": LabelledSet(
            np.concatenate([vectors for vectors, _ in clinc]), [x for _, ls in clinc for x in ls]
        ),
        "banking77": LabelledSet(*load(data / "banking77" / "train.csv", model)),
    }


def _inbox(name: str, family: str, source: str, data: LabelledSet, rows: list[int]) -> Inbox:
    return Inbox(name, family, source, data.vectors[rows], [data.labels[r] for r in rows])


def _dstc11_inboxes(dstc: LabelledSet) -> list[Inbox]:
    every = list(range(len(dstc.labels)))
    inboxes = [
        _inbox(
            f"dstc11-{size}", "realistic", "dstc11", dstc, random.Random(seed).sample(every, size)
        )
        for size, seed in [(200, 1), (300, 2), (400, 3), (500, 4), (600, 5), (800, 6), (913, 7)]
    ]
    intents = sorted(set(dstc.labels))
    for count, seed in [(10, 11), (14, 12), (18, 13)]:
        chosen = random.Random(seed).sample(intents, count)
        inboxes.append(
            _inbox(f"dstc11-{count}intents", "realistic", "dstc11", dstc, dstc.rows_of(chosen))
        )
    for size, seed in [(1200, 21), (1600, 22), (2000, 23)]:
        rng = random.Random(seed)
        rows = [rng.randrange(len(every)) for _ in range(size)]
        inboxes.append(_inbox(f"dstc11-repeats-{size}", "realistic", "dstc11", dstc, rows))
    return inboxes


def _clinc_inboxes(clinc: LabelledSet) -> list[Inbox]:
    inboxes = []
    for domain in UNSEEN_DOMAINS:
        rows = clinc.rows_of(CLINC_DOMAINS[domain])
        inboxes.append(_inbox(f"clinc-{domain}", "realistic", "clinc-unseen", clinc, rows))
        small = random.Random(31).sample(rows, 300)
        inboxes.append(_inbox(f"clinc-{domain}-300", "realistic", "clinc-unseen", clinc, small))
    both = clinc.rows_of(CLINC_DOMAINS["banking"] + CLINC_DOMAINS["credit_cards"])
    inboxes.append(_inbox("clinc-banking+credit", "realistic", "clinc-unseen", clinc, both))
    sample = random.Random(32).sample(both, 1000)
    inboxes.append(_inbox("clinc-banking+credit-1000", "realistic", "clinc-unseen", clinc, sample))
    for domain in (d for d in CLINC_DOMAINS if d not in UNSEEN_DOMAINS):
        rows = random.Random(40).sample(clinc.rows_of(CLINC_DOMAINS[domain]), 500)
        inboxes.append(_inbox(f"clinc-{domain}", "realistic", "clinc-seen", clinc, rows))
    for seed in range(4):
        rng = random.Random(50 + seed)
        domains = rng.sample(list(CLINC_DOMAINS), 3)
        rows = clinc.rows_of([i for d in domains for i in CLINC_DOMAINS[d]])
        name = f"clinc-mix-{'+'.join(domains)}"
        inboxes.append(_inbox(name, "realistic", "clinc-mix", clinc, rng.sample(rows, 2000)))
    return inboxes


def _mixed_inboxes(dstc: LabelledSet, clinc: LabelledSet) -> list[Inbox]:
    """An insurance inbox that also gets questions of another domain."""
    inboxes = []
    for domain, seed in [("banking", 60), ("travel", 61)]:
        rng = random.Random(seed)
        own = rng.sample(range(len(dstc.labels)), 600)
        other = rng.sample(clinc.rows_of(CLINC_DOMAINS[domain]), 400)
        inboxes.append(
            Inbox(
                f"dstc11+clinc-{domain}",
                "realistic",
                "mixed",
                np.concatenate([dstc.vectors[own], clinc.vectors[other]]),
                [dstc.labels[r] for r in own] + [f"clinc:{clinc.labels[r]}" for r in other],
            )
        )
    return inboxes


def _banking77_inboxes(banking: LabelledSet, big: bool) -> list[Inbox]:
    every = list(range(len(banking.labels)))
    sizes = [(3080, 70), (3080, 71), (3080, 72)] + ([(10_000, 80)] if big else [])
    inboxes = [
        _inbox(
            f"banking77-{n}-s{seed}",
            "fine",
            "banking77",
            banking,
            random.Random(seed).sample(every, n),
        )
        for n, seed in sizes
    ]
    intents = sorted(set(banking.labels))
    for count, size, seed in [(20, 800, 90), (40, 1500, 91)]:
        rng = random.Random(seed)
        rows = rng.sample(banking.rows_of(rng.sample(intents, count)), size)
        inboxes.append(_inbox(f"banking77-{count}intents", "fine", "banking77", banking, rows))
    return inboxes


def generate(data: Path, model: str = "minilm-intent", *, big: bool = False) -> list[Inbox]:
    """Every generated inbox (33 realistic, 5 fine-grained; `big` adds Banking77 at 10,000)."""
    sets = load_sets(data, model)
    return [
        *_dstc11_inboxes(sets["dstc11"]),
        *_clinc_inboxes(sets["clinc150"]),
        *_mixed_inboxes(sets["dstc11"], sets["clinc150"]),
        *_banking77_inboxes(sets["banking77"], big),
    ]
