"""类案推送: the decided cases most like a case, in the same province.

Ranking, best first: the same power item (+10), the same cited article (+5), then the facts by BM25
(`bm25s`, sparse matrices, over rjieba tokens; scores normalised to 0–1 by the best hit). Near-
duplicate facts among the hits are marked by MinHash (`datasketch`, character 3-grams, estimated
Jaccard ≥ 0.8). Everything is computed offline from the decided cases' profiles (DecidedProfile):
nothing is downloaded, no model.

The index is built once per process from every profile (`SimilarIndex.build`), saved under
DATA_DIR/discretion/index/ by `zhifa discretion reindex` and loaded (memory-mapped) by the others;
profiles added after the build are searched as a small tail by token overlap until the next build
(at most ZHIFA_DISCRETION_INDEX_TTL seconds, default 300).
"""
from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import numpy as np

NEAR_DUP = 0.8
CLOSE_MIN = 3          # close cases needed before an amount is warned about
ITEM_W, ARTICLE_W = 10.0, 5.0
STOP = set("的了在和与及或其是为对有被将把从以于之等并且而也就都")
_TOKEN = re.compile(r"[\u4e00-\u9fa5A-Za-z0-9]")


def tokenize(text: str) -> list[str]:
    try:
        import rjieba

        words = rjieba.cut(text or "")
    except ImportError:  # pragma: no cover - jieba is the documented fallback
        import jieba

        words = jieba.lcut(text or "")
    return [w for w in words if _TOKEN.search(w) and w not in STOP and not w.isdigit()]


def minhash(text: str, num_perm: int = 64):
    from datasketch import MinHash

    t = re.sub(r"\s+", "", text or "")
    grams = {t[i:i + 3] for i in range(max(len(t) - 2, 1))} or {t}
    m = MinHash(num_perm=num_perm, seed=22)
    m.update_batch([g.encode("utf-8") for g in grams])
    return m


def articles_of(case) -> list[str]:
    from zhifa.discretion.library import citations

    text = " ".join([case.legal_basis or ""] + [f"《{i.law}》{i.article}" for i in case.power_items.all()])
    return [f"{c.law.removeprefix('中华人民共和国')}:{c.number}" for c in citations(text)]


# ---- profiles ------------------------------------------------------------------------------------
def outcome_text(case) -> str:
    from zhifa.cases.models import PenaltyKind

    if case.no_penalty:
        return "不予行政处罚"
    kinds = [str(PenaltyKind(k).label) for k in case.penalty_kinds or [] if k in PenaltyKind.values]
    text = "、".join(kinds)
    if case.fine_amount:
        text += f"（罚款{case.fine_amount:,.2f}元）"
    return text[:300]


def profile_case(case):
    """Write (or refresh) the decided case's profile."""
    from zhifa.discretion.models import DecidedProfile

    items = " ".join(sorted({i.code for i in case.power_items.all()}))
    level = case.discretion_level or ""
    DecidedProfile.objects.update_or_create(case=case, defaults=dict(
        entity_id=case.entity_id, province=(case.entity.region.code or "")[:2], items=items[:400],
        articles=" ".join(articles_of(case))[:400], tokens=" ".join(tokenize(case.facts or case.title))[:20000],
        fine_amount=None if case.no_penalty else case.fine_amount, outcome=outcome_text(case), level=level,
        decided_on=case.decided_on or case.proposed_on))


# ---- the index -----------------------------------------------------------------------------------
@dataclass
class Hit:
    profile_id: int
    case_id: int
    score: float
    same_item: bool
    same_article: bool
    text_score: float
    near_duplicate: bool = False
    jaccard: float = 0.0


class SimilarIndex:
    def __init__(self, ids, case_ids, province, fines, items, articles, retriever, built_at, max_id):
        self.ids, self.case_ids, self.province, self.fines = ids, case_ids, province, fines
        self.items, self.articles = items, articles          # code → np.array of row positions
        self.retriever, self.built_at, self.max_id = retriever, built_at, max_id
        self.pos = {int(c): i for i, c in enumerate(case_ids)}
        self.rows = None   # the BM25 weights by document (CSR), for scoring only the candidates
        if retriever is not None:
            from scipy import sparse

            sc = retriever.scores
            csc = sparse.csc_matrix((np.asarray(sc["data"]), np.asarray(sc["indices"]), np.asarray(sc["indptr"])),
                                    shape=(int(sc["num_docs"]), len(sc["indptr"]) - 1))
            self.rows = csc.tocsr()

    def __len__(self):
        return len(self.ids)

    @classmethod
    def build(cls, rows=None, chunk: int = 20000) -> SimilarIndex:
        """From (id, case_id, province, items, articles, tokens, fine) rows (default: every profile)."""
        import bm25s

        from zhifa.discretion.models import DecidedProfile

        if rows is None:
            rows = DecidedProfile.objects.order_by("id").values_list(
                "id", "case_id", "province", "items", "articles", "tokens", "fine_amount").iterator(chunk_size=chunk)
        from bm25s.tokenization import Tokenized

        ids, case_ids, prov, fines, corpus = [], [], [], [], []
        items: dict[str, list[int]] = {}
        arts: dict[str, list[int]] = {}
        vocab: dict[str, int] = {"": 0}   # token ids, not strings, per document: memory stays bounded
        for n, (pk, case_id, province, its, ars, tokens, fine) in enumerate(rows):
            ids.append(pk)
            case_ids.append(case_id)
            prov.append(int(province or 0))
            fines.append(float(fine) if fine is not None else np.nan)
            for code in (its or "").split():
                items.setdefault(code, []).append(n)
            for a in (ars or "").split():
                arts.setdefault(a, []).append(n)
            corpus.append([vocab.setdefault(t, len(vocab)) for t in (tokens or "").split()] or [0])
        retriever = bm25s.BM25() if corpus else None
        if retriever is not None:
            retriever.index(Tokenized(ids=corpus, vocab=vocab), show_progress=False)
        del corpus
        return cls(np.array(ids, dtype=np.int64), np.array(case_ids, dtype=np.int64), np.array(prov, dtype=np.int16),
                   np.array(fines, dtype=np.float64), {k: np.array(v, dtype=np.int64) for k, v in items.items()},
                   {k: np.array(v, dtype=np.int64) for k, v in arts.items()}, retriever,
                   time.time(), max(ids) if ids else 0)

    # ---- persistence ----------------------------------------------------------------------------
    def save(self, path: Path) -> None:
        path.mkdir(parents=True, exist_ok=True)
        np.savez(path / "meta.npz", ids=self.ids, case_ids=self.case_ids, province=self.province, fines=self.fines)
        with open(path / "groups.json", "w", encoding="utf-8") as f:
            json.dump({"items": {k: v.tolist() for k, v in self.items.items()},
                       "articles": {k: v.tolist() for k, v in self.articles.items()},
                       "max_id": self.max_id, "built_at": self.built_at}, f)
        if self.retriever is not None:
            self.retriever.save(str(path / "bm25"), show_progress=False)

    @classmethod
    def load(cls, path: Path) -> SimilarIndex:
        import bm25s

        meta = np.load(path / "meta.npz")
        groups = json.loads((path / "groups.json").read_text("utf-8"))
        retriever = bm25s.BM25.load(str(path / "bm25"), mmap=True, show_progress=False) \
            if (path / "bm25").exists() else None
        return cls(meta["ids"], meta["case_ids"], meta["province"], meta["fines"],
                   {k: np.array(v, dtype=np.int64) for k, v in groups["items"].items()},
                   {k: np.array(v, dtype=np.int64) for k, v in groups["articles"].items()},
                   retriever, groups["built_at"], groups["max_id"])

    # ---- query ----------------------------------------------------------------------------------
    def query(self, *, province: int, items: list[str], articles: list[str], tokens: list[str],
              exclude_case: int | None = None, k: int = 10) -> list[Hit]:
        n = len(self.ids)
        if n == 0:
            return []
        if items and self.rows is not None:
            hits = self._query_items(province, items, articles, tokens, exclude_case, k)
            if hits is not None:
                return hits
        text = np.zeros(n, dtype=np.float32)
        if self.retriever is not None:
            known = [t for t in dict.fromkeys(tokens) if t in self.retriever.vocab_dict]
            if known:
                text = self.retriever.get_scores(known).astype(np.float32)
                top = float(text.max())
                if top > 0:
                    text /= top
        score = text.astype(np.float64)
        same_item = np.zeros(n, dtype=bool)
        same_art = np.zeros(n, dtype=bool)
        for code in items:
            if code in self.items:
                same_item[self.items[code]] = True
        for a in articles:
            if a in self.articles:
                same_art[self.articles[a]] = True
        score += ITEM_W * same_item + ARTICLE_W * same_art
        score[self.province != province] = -1.0
        if exclude_case is not None and exclude_case in self.pos:
            score[self.pos[exclude_case]] = -1.0
        k = min(k, n)
        idx = np.argpartition(-score, k - 1)[:k]
        idx = idx[np.argsort(-score[idx], kind="stable")]
        return [Hit(int(self.ids[i]), int(self.case_ids[i]), float(score[i]), bool(same_item[i]),
                    bool(same_art[i]), float(text[i])) for i in idx if score[i] > 0]


    def _query_items(self, province, items, articles, tokens, exclude_case, k) -> list[Hit] | None:
        """When the case's own power items hold at least k cases, the top k are among them (the item
        outweighs any text score): BM25 over those rows only. None: too few, score everything."""
        groups = [self.items[c] for c in items if c in self.items]
        if not groups:
            return None
        cand = np.unique(np.concatenate(groups))
        cand = cand[self.province[cand] == province]
        if exclude_case is not None and exclude_case in self.pos:
            cand = cand[cand != self.pos[exclude_case]]
        if len(cand) < k:
            return None
        vocab = self.retriever.vocab_dict
        qids = [vocab[t] for t in dict.fromkeys(tokens) if t in vocab and vocab[t] < self.rows.shape[1]]
        if qids:
            text = np.asarray(self.rows[cand][:, qids].sum(axis=1)).ravel().astype(np.float64)
            top = text.max()
            if top > 0:
                text /= top
        else:
            text = np.zeros(len(cand))
        art = np.zeros(len(cand), dtype=bool)
        for a in articles:
            if a in self.articles:
                art |= np.isin(cand, self.articles[a], assume_unique=False)
        score = ITEM_W + ARTICLE_W * art + text
        sel = np.argpartition(-score, k - 1)[:k]
        sel = sel[np.argsort(-score[sel], kind="stable")]
        return [Hit(int(self.ids[cand[i]]), int(self.case_ids[cand[i]]), float(score[i]), True, bool(art[i]),
                    float(text[i])) for i in sel]


_lock = threading.Lock()
_cache: dict[str, SimilarIndex] = {}


def index_dir() -> Path:
    from django.conf import settings

    return Path(settings.DATA_DIR) / "discretion" / "index"


def current_index(*, rebuild: bool = False) -> SimilarIndex | None:
    """The process's index. A small corpus (at most ZHIFA_DISCRETION_INLINE_BUILD cases, default 50 000)
    is built here when newer profiles exist and the cached one is older than ZHIFA_DISCRETION_INDEX_TTL
    seconds; a larger one is only ever loaded from what `zhifa discretion reindex` saved (None until
    then), the newer profiles being searched as the tail."""
    from django.conf import settings

    from zhifa.discretion.models import DecidedProfile

    ttl = float(getattr(settings, "ZHIFA_DISCRETION_INDEX_TTL", 300))
    inline_max = int(getattr(settings, "ZHIFA_DISCRETION_INLINE_BUILD", 50_000))
    with _lock:
        idx = _cache.get("main")
        if idx is not None and not rebuild and time.time() - idx.built_at < ttl:
            return idx
        newest = DecidedProfile.objects.order_by("-id").values_list("id", flat=True).first() or 0
        if idx is not None and not rebuild and idx.max_id == newest:
            idx.built_at = time.time()
            return idx
        path = index_dir()
        if not rebuild and (path / "groups.json").exists():
            try:
                saved = json.loads((path / "groups.json").read_text("utf-8"))
                newer = idx is None or saved["max_id"] > idx.max_id
                if newer and (saved["max_id"] == newest or newest > inline_max):
                    idx = SimilarIndex.load(path)
                    idx.built_at = time.time()
                    _cache["main"] = idx
                    return idx
            except (OSError, ValueError, KeyError):
                pass
        if newest > inline_max and not rebuild:
            if idx is not None:
                idx.built_at = time.time()
            return idx
        idx = SimilarIndex.build()
        _cache["main"] = idx
        return idx


def reset() -> None:
    _cache.clear()


# ---- what the case page shows -------------------------------------------------------------------
def similar_cases(case, *, k: int = 8, index: SimilarIndex | None = None) -> list[dict]:
    """The k most similar decided cases of the case's province, with amount, outcome, near-duplicate flag."""
    from zhifa.discretion.models import DecidedProfile

    idx = index or current_index()
    province = int((case.entity.region.code or "0")[:2] or 0)
    items = sorted({i.code for i in case.power_items.all()})
    arts = articles_of(case)
    tokens = tokenize(case.facts or case.title)
    hits = idx.query(province=province, items=items, articles=arts, tokens=tokens, exclude_case=case.pk, k=k) \
        if idx is not None else []
    # profiles newer than the index (all of them before the first `zhifa discretion reindex` of a large
    # corpus): the newest 5 000, scored by token overlap
    tail = DecidedProfile.objects.filter(id__gt=idx.max_id if idx is not None else 0, province=f"{province:02d}").exclude(case_id=case.pk).order_by("-id")[:5000]
    qset = set(tokens)
    for p in tail:
        ts = set(p.tokens.split())
        overlap = len(qset & ts) / len(qset | ts) if qset | ts else 0.0
        si, sa = bool(set(items) & set(p.items.split())), bool(set(arts) & set(p.articles.split()))
        hits.append(Hit(p.pk, p.case_id, ITEM_W * si + ARTICLE_W * sa + overlap, si, sa, overlap))
    hits = sorted(hits, key=lambda h: -h.score)[:k]
    profiles = {p.pk: p for p in DecidedProfile.objects.filter(pk__in=[h.profile_id for h in hits])
                .select_related("case", "entity")}
    mine = minhash(case.facts or "")
    out = []
    for h in hits:
        p = profiles.get(h.profile_id)
        if p is None:
            continue
        j = mine.jaccard(minhash(p.case.facts or "")) if case.facts and p.case.facts else 0.0
        out.append({"case": p.case, "entity": p.entity, "fine": p.fine_amount, "outcome": p.outcome,
                    "level": p.level, "decided_on": p.decided_on, "same_item": h.same_item,
                    "same_article": h.same_article, "text_score": round(h.text_score, 3),
                    "near_duplicate": j >= NEAR_DUP, "jaccard": round(j, 2)})
    return out


def amount_warning(case, similar: list[dict], fine=None) -> str:
    """A warning when the (proposed) fine lies outside the range of the close cases (same item)."""
    fine = case.fine_amount if fine is None else fine
    close = [s["fine"] for s in similar if s["same_item"] and s["fine"] is not None]
    if fine is None or case.no_penalty or len(close) < CLOSE_MIN:
        return ""
    lo, hi = min(close), max(close)
    if lo <= Decimal(fine) <= hi:
        return ""
    side = "高于" if Decimal(fine) > hi else "低于"
    return (f"拟罚款{Decimal(fine):,.2f}元{side}{len(close)}件同一事项类案的罚款幅度（{lo:,.2f}元至{hi:,.2f}元），"
            f"请核实裁量是否适当（类案不同罚）")


PENDING_STATES = ("proposed", "notified", "hearing", "legal_review", "reviewed", "collective_discussion")


def outliers(*, entity_ids=None, min_group: int = 5, factor: float = 2.0) -> list[dict]:
    """Per power item: decided fines far from the item's median (> factor × or < 1/factor × the median),
    and the proposed fines of cases not yet decided that are as far from it."""
    from statistics import median

    from zhifa.discretion.models import DecidedProfile

    qs = DecidedProfile.objects.exclude(fine_amount__isnull=True).exclude(items="")
    if entity_ids is not None:
        qs = qs.filter(entity_id__in=entity_ids)
    pending = _pending(entity_ids)
    groups: dict[str, list] = {}
    for row in qs.values("id", "case_id", "entity_id", "items", "fine_amount", "decided_on").iterator():
        for code in row["items"].split():
            groups.setdefault(code, []).append(row)
    out = []
    for code, rows in sorted(groups.items()):
        if len(rows) < min_group:
            continue
        med = Decimal(str(median(r["fine_amount"] for r in rows)))
        if med <= 0:
            continue
        hi, lo = med * Decimal(str(factor)), med / Decimal(str(factor))
        far = [r for r in rows if r["fine_amount"] > hi or r["fine_amount"] < lo]
        proposed = [r for r in pending.get(code, []) if r["fine_amount"] > hi or r["fine_amount"] < lo]
        if far or proposed:
            out.append({"item": code, "count": len(rows), "median": med, "outliers": far, "proposed": proposed})
    return out


def _pending(entity_ids) -> dict[str, list]:
    """Cases before their decision with a proposed fine, by power item code."""
    from zhifa.cases.models import Case

    qs = Case.objects.filter(state__in=PENDING_STATES, fine_amount__isnull=False, no_penalty=False)
    if entity_ids is not None:
        qs = qs.filter(entity_id__in=entity_ids)
    out: dict[str, list] = {}
    for row in qs.values("id", "entity_id", "fine_amount", "proposed_on", "power_items__code"):
        if row["power_items__code"]:
            out.setdefault(row["power_items__code"], []).append(
                {"case_id": row["id"], "entity_id": row["entity_id"], "fine_amount": row["fine_amount"],
                 "decided_on": row["proposed_on"]})
    return out
