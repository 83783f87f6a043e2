"""Vectorised values by what a column means: pools of Faker values sampled with numpy.

Every generator takes the column, its CHECK rule, a numpy Generator and the row numbers of the
chunk, and returns a list. Faker runs only to fill the pools, once per process, seeded.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from functools import lru_cache

import numpy as np

EPOCH_2000_US = 946_684_800_000_000  # PostgreSQL's binary timestamps count from 2000-01-01
START_US = 1_704_067_200_000_000 - EPOCH_2000_US  # 2024-01-01 UTC
SPAN_US = 540 * 86_400_000_000  # created_at spread over 540 days
DAY_US = 86_400_000_000

TAGS = ("tutorial", "launch", "b-roll", "podcast", "shorts", "brand", "q3", "draft", "ai", "music",
        "interview", "promo", "behind-the-scenes", "how-to", "review", "template", "color", "4k")
CURRENCIES = ("USD", "USD", "USD", "EUR", "EUR", "GBP", "CAD")
LOCALES = ("en", "en-US", "en-GB", "fr-FR", "de-DE", "es-ES", "pt-BR", "ja-JP")
LANGUAGES = ("en", "en", "fr", "de", "es", "pt", "ja")
TIMEZONES = ("UTC", "Europe/Paris", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Europe/London")
MIME = ("video/mp4", "audio/mpeg", "image/png", "image/jpeg", "application/pdf", "text/markdown")


@lru_cache(maxsize=1)
def pools() -> dict[str, np.ndarray]:
    from faker import Faker

    fake = Faker("en_US")
    fake.seed_instance(20250115)

    def pool(fn, n):
        return np.array([fn() for _ in range(n)], dtype=object)

    words = pool(fake.word, 600)
    return {
        "person": pool(fake.name, 1000),
        "first": pool(fake.first_name, 500),
        "company": pool(fake.company, 400),
        "phrase": pool(lambda: fake.catch_phrase().capitalize(), 600),
        "sentence": pool(lambda: fake.sentence(nb_words=9).rstrip("."), 800),
        "paragraph": pool(lambda: fake.paragraph(nb_sentences=3), 600),
        "word": words,
        "slugword": np.array(sorted({re.sub(r"[^a-z0-9]", "", w.lower()) or "x" for w in words}), dtype=object),
        "domain": pool(fake.domain_word, 300),
        "city": pool(fake.city, 300),
    }


def pick(rng: np.random.Generator, name: str, n: int) -> np.ndarray:
    pool = pools()[name]
    return pool[rng.integers(0, len(pool), n)]


def markdown(rng, n: int, max_len: int | None) -> list[str]:
    heads, paras, items = pick(rng, "phrase", n), pick(rng, "paragraph", n), pick(rng, "sentence", n)
    shape = rng.integers(0, 3, n)
    out = []
    for head, para, item, s in zip(heads, paras, items, shape, strict=True):
        if s == 0:
            text = para
        elif s == 1:
            text = f"## {head}\n\n{para}"
        else:
            text = f"{para}\n\n- {item}\n- **{head}**"
        out.append(text[:max_len].rstrip() if max_len else text)
    return out


def base36(values: np.ndarray) -> list[str]:
    return [np.base_repr(int(v), 36).lower() for v in values]


def fit_length(values, rule, width: int | None):
    max_len = min(x for x in (rule.len_max, width) if x) if (rule.len_max or width) else None
    min_len = rule.len_min or 0
    if not max_len and not min_len:
        return values
    out = []
    for v in values:
        if v is None:
            out.append(v)
            continue
        if max_len and len(v) > max_len:
            v = v[:max_len].rstrip() or v[:max_len]
        if len(v.strip()) < min_len:
            v = (v + "x" * min_len)[: max(min_len, len(v))]
        out.append(v)
    return out


# -- text by meaning --------------------------------------------------------------------------

def text_values(name: str, rule, rng, rows: np.ndarray, unique: bool) -> list[str]:
    n = len(rows)
    suffix = base36(rows) if unique else None
    lname = name.lower()
    if rule.choices:
        return list(np.array(rule.choices, dtype=object)[rng.integers(0, len(rule.choices), n)])
    if "email" in lname:
        first = pick(rng, "first", n)
        return [f"{f.lower()}.{s}@example.com" for f, s in zip(first, base36(rows), strict=True)]
    if lname in ("username", "handle", "author_handle") or lname.endswith("_handle"):
        first = pick(rng, "first", n)
        return [f"{re.sub('[^a-z0-9]', '', f.lower())[:20] or 'user'}_{s}" for f, s in
                zip(first, base36(rows), strict=True)]
    if lname == "slug" or lname.endswith("_slug"):
        a, b = pick(rng, "slugword", n), pick(rng, "slugword", n)
        return [f"{x}-{y}-{s}" for x, y, s in zip(a, b, base36(rows), strict=True)]
    if "url" in lname or lname in ("website", "link"):
        dom, w = pick(rng, "domain", n), pick(rng, "slugword", n)
        return [f"https://{d.lower()}.example.com/{x}/{s}" for d, x, s in zip(dom, w, base36(rows), strict=True)]
    if "color" in lname:
        return [f"#{v:06x}" for v in rng.integers(0, 0xFFFFFF, n)]
    if lname == "currency":
        return list(np.array(CURRENCIES, dtype=object)[rng.integers(0, len(CURRENCIES), n)])
    if lname == "locale":
        return list(np.array(LOCALES, dtype=object)[rng.integers(0, len(LOCALES), n)])
    if lname in ("language", "lang"):
        return list(np.array(LANGUAGES, dtype=object)[rng.integers(0, len(LANGUAGES), n)])
    if "timezone" in lname or lname == "tz":
        return list(np.array(TIMEZONES, dtype=object)[rng.integers(0, len(TIMEZONES), n)])
    if "mime" in lname:
        return list(np.array(MIME, dtype=object)[rng.integers(0, len(MIME), n)])
    if "path" in lname:
        w = pick(rng, "slugword", n)
        return [f"media/{s}/{x}.mp4" for x, s in zip(w, base36(rows), strict=True)]
    if "token" in lname or lname.endswith("_id") or "reference" in lname or lname.endswith("_key"):
        prefix = re.sub("[^a-z]", "", lname.split("_")[0])[:6] or "k"
        return [f"{prefix}_{s}{v:08x}" if "key" not in lname else f"{prefix}.{w}_{s}" for s, v, w in
                zip(base36(rows), rng.integers(0, 2**32, n), pick(rng, "slugword", n), strict=True)]
    if lname in ("full_name", "display_name", "author_name", "contact_name") or lname.endswith("_name") and \
            "file" not in lname:
        return list(pick(rng, "person", n))
    if lname == "name" or lname.endswith("name"):
        values = list(pick(rng, "phrase", n))
    elif any(k in lname for k in ("title", "subject", "headline", "summary", "caption", "question")):
        values = list(pick(rng, "sentence", n))
    elif any(k in lname for k in ("body", "content", "description", "bio", "text", "message", "note",
                                  "prompt", "response", "answer")):
        return markdown(rng, n, rule.len_max)
    elif lname in ("city",):
        values = list(pick(rng, "city", n))
    else:
        values = list(pick(rng, "word", n))
    if unique:
        values = [f"{v} {s}" for v, s in zip(values, suffix, strict=True)]
    return values


def text_array(name: str, rule, rng, n: int) -> list[list[str]]:
    lname = name.lower()
    lo = rule.card_min or 0
    hi = max(lo, min(rule.card_max if rule.card_max is not None else 3, 3))
    counts = rng.integers(lo, hi + 1, n)
    if rule.choices:
        source = np.array(rule.choices, dtype=object)
        chosen = [source[rng.permutation(len(source))[:c]].tolist() for c in counts]
        return chosen
    if "url" in lname:
        w = pick(rng, "slugword", n * 3).reshape(n, 3)
        return [[f"https://cdn.example.com/{x}.png" for x in row[:c]] for row, c in zip(w, counts, strict=True)]
    source = np.array(TAGS, dtype=object) if any(k in lname for k in ("tag", "keyword", "hashtag")) else \
        pools()["slugword"]
    chosen = source[rng.integers(0, len(source), (n, 3))]
    out = [list(dict.fromkeys(row[:c])) for row, c in zip(chosen, counts, strict=True)]
    return [v if len(v) >= lo else (v + [f"{lname}{i}" for i in range(lo)])[:max(lo, len(v))] for v in out]


# -- numbers, booleans, json ----------------------------------------------------------------------

def _range(rule, default_lo: float, default_hi: float) -> tuple[float, float]:
    lo = default_lo if rule.lo is None else rule.lo
    hi = default_hi if rule.hi is None else rule.hi
    if rule.lo is not None and rule.hi is None and hi <= lo:
        hi = lo + default_hi - default_lo
    return lo, hi


def int_values(name: str, rule, rng, rows: np.ndarray, bits: int) -> np.ndarray:
    n, lname = len(rows), name.lower()
    if rule.choices:
        return np.array(rule.choices)[rng.integers(0, len(rule.choices), n)]
    if "rating" in lname or "score" in lname:
        lo, hi = _range(rule, 1, 5)
        return np.clip(np.round(hi - rng.exponential((hi - lo) / 4, n)), lo, hi).astype(np.int64)
    if any(k in lname for k in ("position", "order", "index", "rank", "sort")):
        lo, hi = _range(rule, 0, 20)
        return rng.integers(int(lo), int(hi) + 1, n)
    if lname.endswith("_ms") or "duration" in lname:
        lo, hi = _range(rule, 0, 600_000)
        return rng.integers(int(lo), int(hi) + 1, n)
    if "bytes" in lname or "size" in lname:
        lo, hi = _range(rule, 0, 500_000_000)
        return rng.integers(int(lo), int(hi) + 1, n)
    lo, hi = _range(rule, 0, 50)
    if any(k in lname for k in ("count", "views", "reach", "likes", "clicks", "impressions", "shares", "saves",
                                "comments", "tokens", "occurrences", "votes", "seconds")):
        lo, hi = _range(rule, 0, 100_000)
        values = np.floor(rng.lognormal(np.log(max(lo, 1) + 50), 1.5, n))
        return np.clip(values, lo + (1 if rule.lo_strict else 0), hi).astype(np.int64)
    lo = lo + (1 if rule.lo_strict else 0)
    hi = min(hi - (1 if rule.hi_strict else 0), 2 ** (bits - 1) - 1)
    return rng.integers(int(lo), int(hi) + 1, n)


def numeric_values(name: str, rule, rng, n: int, scale: int, precision: int | None) -> list[Decimal]:
    lname = name.lower()
    if rule.choices:
        values = np.array(rule.choices, dtype=float)[rng.integers(0, len(rule.choices), n)]
    elif any(k in lname for k in ("price", "amount", "budget", "cost", "fee", "total")):
        values = np.round(np.exp(rng.normal(3.2, 1.0, n)), 0) - 0.01
        values[rng.random(n) < 0.15] = 0
    elif "rate" in lname:
        values = rng.choice([0.5, 1.0, 1.0, 1.0, 1.25, 1.5, 2.0], n)
    else:
        lo, hi = _range(rule, 0, 1 if any(k in lname for k in ("confidence", "score", "ratio")) else 1000)
        values = rng.uniform(lo, hi, n)
    lo = -np.inf if rule.lo is None else rule.lo + (10.0 ** -scale if rule.lo_strict else 0)
    hi = np.inf if rule.hi is None else rule.hi - (10.0 ** -scale if rule.hi_strict else 0)
    if precision:
        hi = min(hi, 10.0 ** (precision - scale) - 10.0 ** -scale)
    values = np.round(np.clip(values, max(lo, -1e12), min(hi, 1e12)), scale)
    fmt = f"{{:.{scale}f}}"
    return [Decimal(fmt.format(v)) for v in values]


def bool_values(name: str, rule, rng, n: int) -> np.ndarray:
    lname = name.lower()
    p = {"is_public": 0.6, "is_default": 0.2, "is_hidden": 0.05, "is_official": 0.1, "is_active": 0.85,
         "is_private": 0.4}.get(lname, 0.5)
    if rule.choices:
        return np.array(rule.choices)[rng.integers(0, len(rule.choices), n)]
    return rng.random(n) < p


def json_values(name: str, rule, rng, n: int) -> list[str]:
    lname = name.lower()
    if rule.json_kind == "array" or lname in ("steps", "items", "fields"):
        count = rng.integers(1, 5, n)
        words = pick(rng, "slugword", n)
        return [json.dumps([{"step": i + 1, "action": f"{w}_{i}"} for i in range(c)]) for c, w in
                zip(count, words, strict=True)]
    if "setting" in lname or "preference" in lname or "notification" in lname:
        flags = rng.random((n, 3)) < 0.6
        return [json.dumps({"email": bool(a), "push": bool(b), "digest": "weekly" if c else "daily"})
                for a, b, c in flags]
    if "layout" in lname:
        cols = rng.choice([6, 12], n)
        return [json.dumps({"columns": int(c), "density": "comfortable"}) for c in cols]
    words, nums = pick(rng, "slugword", n), rng.integers(1, 10, n)
    return [json.dumps({"source": w, "version": int(v)}) for w, v in zip(words, nums, strict=True)]


def timestamps_after(base_us: np.ndarray, rng, lo_days: float, hi_days: float, strict: bool) -> np.ndarray:
    """Microseconds at least ``lo_days`` (and then some) after ``base_us``."""
    delta = rng.uniform(lo_days, hi_days, len(base_us)) * DAY_US
    return base_us + delta.astype(np.int64) + (1_000_000 if strict else 0)


def created_times(rng, n: int) -> np.ndarray:
    return START_US + rng.integers(0, SPAN_US, n)
