"""Press-release clusters: one event, printed by several outlets, counted once.

Regional papers reprint the same release with their own lead, byline, photo caption and
copyright line. Each article's body becomes a MinHash signature (datasketch) over character
shingles of its normalised text: Korean words carry their particles (시는, 시가, 시에), so
whitespace words miss what character n-grams keep. Articles that share a band of the signature
(LSH) are candidates; a candidate whose estimated Jaccard similarity reaches the threshold is a
copy, and the new article joins that candidate's cluster.

The index lives in the database (`story_signatures`, `story_bands`), so a batch looks up only its
own articles' band keys: nothing recomputes all pairs, and a cluster's id (the article_id of its
first member) never changes when articles are loaded again. `benchmarks/story_clusters.py`
measures the shingle size and threshold chosen below on real pages and synthetic reprints.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

import duckdb
import numpy as np
import pandas as pd

# Chosen by benchmarks/story_clusters.py (dev pages, the corpus tuning pool and reprints made
# from them): README "One event counted once" gives the figures. RECALL_WEIGHT makes datasketch
# choose bands that find a copy near the threshold (42 bands of 3 rows rather than 32 of 4).
SHINGLE_CHARS = 5
THRESHOLD = 0.35
NUM_PERM = 128
RECALL_WEIGHT = 0.8
MIN_CHARS = 80  # letters and digits: about two sentences
_SEED = 1
_SCHEME = "affine32"  # datasketch's hashing, named so a stored signature never changes meaning
# a signature is comparable only with one made the same way; a change here re-signs every article
METHOD = (f"minhash/{_SCHEME}/chars{SHINGLE_CHARS}/perm{NUM_PERM}/seed{_SEED}/t{THRESHOLD}/w{RECALL_WEIGHT}"
          f"/min{MIN_CHARS}")

_NOT_WORD = re.compile(r"[\W_]+")
# a few ids against a large table: a semi-join on the unnested list (a hash lookup per row), not a
# list search per row
_AMONG = "article_id IN (SELECT unnest(?::VARCHAR[]))"


def normalise(body: str) -> str:
    """The text a reader compares: NFKC (full-width digits, compatibility jamo), lower case, and
    letters and digits only. Spacing and punctuation vary between outlets; the words do not."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", body).lower())


def shingles(body: str, size: int = SHINGLE_CHARS) -> set[str]:
    """Every run of `size` characters of the normalised body (a short body is one shingle)."""
    text = normalise(body)
    if len(text) <= size:
        return {text} if text else set()
    return {text[i:i + size] for i in range(len(text) - size + 1)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


def signature(body: str, size: int = SHINGLE_CHARS, num_perm: int = NUM_PERM) -> np.ndarray:
    """The MinHash signature of a body: num_perm unsigned 32-bit values."""
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm, seed=_SEED, scheme=_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in sorted(shingles(body, size))])
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def estimated_similarity(a: np.ndarray, b: np.ndarray) -> float:
    """The MinHash estimate of the Jaccard similarity of two bodies."""
    return float(np.count_nonzero(a == b)) / len(a)


@lru_cache(maxsize=8)
def bands(threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> tuple[int, int]:
    """(bands, rows per band) datasketch's LSH chooses for this threshold, weighing a missed copy
    as RECALL_WEIGHT times a false candidate: a false candidate costs one signature comparison,
    a missed copy counts an event twice."""
    from datasketch import MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, weights=(1 - RECALL_WEIGHT, RECALL_WEIGHT))
    return lsh.b, lsh.r


def band_keys(sig: np.ndarray, threshold: float = THRESHOLD) -> list[int]:
    """One signed 64-bit key per band (the band's number is hashed in, so equal keys mean the
    same rows of the same band)."""
    count, rows = bands(threshold, len(sig))
    keys = []
    for band in range(count):
        digest = hashlib.blake2b(sig[band * rows:(band + 1) * rows].tobytes(), digest_size=8,
                                 person=band.to_bytes(2, "little") + b"pf").digest()
        keys.append(int.from_bytes(digest, "little", signed=True))
    return keys


@dataclass(frozen=True)
class Assignment:
    article_id: str
    cluster_id: str
    similarity: float | None  # to the member it matched; None for a cluster's first member
    matched: str | None


def _body_hash(body: str) -> str:
    return hashlib.sha256(normalise(body).encode("utf-8")).hexdigest()[:16]


def forget(con: duckdb.DuckDBPyConnection, article_ids: Sequence[str]) -> None:
    """An article gone from `articles` (re-extracted under another id) leaves its cluster."""
    if not article_ids:
        return
    for table in ("story_bands", "story_signatures", "story_clusters"):
        con.execute(f"DELETE FROM {table} WHERE {_AMONG}", [list(article_ids)])


def assign(con: duckdb.DuckDBPyConnection, run_id: str,
           articles: Sequence[tuple[str, str, datetime | None]]) -> list[Assignment]:
    """Put each (article_id, body, published_at) just loaded into a cluster, earliest published first.

    An article whose normalised body is unchanged keeps its cluster. A new or changed one looks
    up the articles sharing a band with it (those already stored and those earlier in this
    batch), keeps those whose estimated similarity reaches THRESHOLD, and joins the cluster of
    the most similar; with none it starts its own cluster, named by its own id. Clusters are
    never merged or renamed afterwards, so ids stay stable. Articles loaded before clusters
    existed (an older database) are clustered first, as of the run that loaded them."""
    ids = [article_id for article_id, _, _ in articles]
    backlog = _reconcile(con, ids)
    order = sorted(articles, key=lambda item: (item[2] is None, item[2] or datetime.min.replace(tzinfo=UTC), item[0]))
    done = _assign_items(con, backlog) if backlog else []
    return done + _assign_items(con, [(article_id, body, run_id) for article_id, body, _ in order])


def _reconcile(con: duckdb.DuckDBPyConnection, batch: list[str]) -> list[tuple[str, str, str]]:
    """Outside this batch, articles and clusters should pair one to one; where they do not (an
    older database, rows removed by another path) drop the orphans and return the articles
    without a cluster, oldest first, with the run that loaded each."""
    articles, clustered, batch_clustered = con.execute(
        f"SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM story_clusters), "
        f"(SELECT count(*) FROM story_clusters WHERE {_AMONG})", [batch]).fetchall()[0]
    if articles - len(batch) == clustered - batch_clustered:  # the batch's articles are all in articles
        return []
    orphans = [row[0] for row in con.execute(
        "SELECT article_id FROM story_clusters c WHERE NOT EXISTS "
        "(SELECT 1 FROM articles a WHERE a.article_id = c.article_id)").fetchall()]
    forget(con, orphans)
    return [(article_id, body or "", loaded_by or "") for article_id, body, loaded_by in con.execute(
        "SELECT a.article_id, a.body, a.run_id FROM articles a WHERE NOT list_contains(?, a.article_id) "
        "AND NOT EXISTS (SELECT 1 FROM story_clusters c WHERE c.article_id = a.article_id) "
        "ORDER BY a.published_at NULLS LAST, a.article_id", [batch]).fetchall()]


def _assign_items(con: duckdb.DuckDBPyConnection, items: Sequence[tuple[str, str, str]]) -> list[Assignment]:
    """Cluster (article_id, body, run_id) in the order given; run_id is the run that loads it."""
    if not items:
        return []
    ids = [article_id for article_id, _, _ in items]
    known = {row[0]: (row[1], row[2]) for row in con.execute(
        f"SELECT article_id, body_hash, method FROM story_signatures WHERE {_AMONG}",
        [ids]).fetchall()}
    clustered = {row[0] for row in con.execute(
        f"SELECT article_id FROM story_clusters WHERE {_AMONG}", [ids]).fetchall()}
    todo: list[tuple[str, str, np.ndarray, list[int], str]] = []
    for article_id, body, run_id in items:
        body_hash = _body_hash(body)
        if known.get(article_id) == (body_hash, METHOD) and article_id in clustered:
            continue  # the same text as before: its cluster stands
        sig = signature(body)
        # a body too short to tell a reprint from a coincidence (a photo caption) stays alone
        keys = band_keys(sig) if len(normalise(body)) >= MIN_CHARS else []
        todo.append((article_id, body_hash, sig, keys, run_id))
    if not todo:
        return []
    changed = [item[0] for item in todo]
    resigned = [article_id for article_id in changed if article_id in known]  # new ones have nothing to drop
    if resigned:
        for table in ("story_bands", "story_signatures"):
            con.execute(f"DELETE FROM {table} WHERE {_AMONG}", [resigned])
    candidates = _stored_candidates(con, [key for item in todo for key in item[3]], exclude=set(changed))
    batch_keys: dict[int, list[str]] = {}
    batch_sigs: dict[str, np.ndarray] = {}
    assignments: list[Assignment] = []
    for article_id, _, sig, keys, _ in todo:
        found = {other for key in keys for other in (*candidates.get(key, ()), *batch_keys.get(key, ()))}
        assignments.append(_join(con, article_id, sig, found, batch_sigs, {a.article_id: a for a in assignments}))
        for key in keys:
            batch_keys.setdefault(key, []).append(article_id)
        batch_sigs[article_id] = sig
    _store(con, todo, assignments, clustered)
    return assignments


def _stored_candidates(con: duckdb.DuckDBPyConnection, keys: list[int], exclude: set[str]) -> dict[int, list[str]]:
    """Stored articles sharing a band key with the batch: one hash join over the key column."""
    frame = pd.DataFrame({"band_key": pd.Series(sorted(set(keys)), dtype="int64")})
    con.register("wanted_bands", frame)
    rows = con.execute("SELECT b.band_key, b.article_id FROM story_bands b JOIN wanted_bands w USING (band_key)"
                       ).fetchall()
    con.unregister("wanted_bands")
    found: dict[int, list[str]] = {}
    for key, article_id in rows:
        if article_id not in exclude:
            found.setdefault(key, []).append(article_id)
    return found


def _join(con: duckdb.DuckDBPyConnection, article_id: str, sig: np.ndarray, found: set[str],
          batch_sigs: dict[str, np.ndarray], batch_assigned: dict[str, Assignment]) -> Assignment:
    stored = [other for other in found if other not in batch_sigs]
    sigs = dict(batch_sigs)
    clusters = {other: a.cluster_id for other, a in batch_assigned.items()}
    if stored:
        for other, blob, cluster_id in con.execute(
                "SELECT s.article_id, s.signature, c.cluster_id FROM story_signatures s "
                f"JOIN story_clusters c USING (article_id) WHERE s.{_AMONG}", [stored]).fetchall():
            sigs[other] = np.frombuffer(blob, dtype="<u4")
            clusters[other] = cluster_id
    scored = sorted(((estimated_similarity(sig, sigs[other]), other) for other in found
                     if other in sigs and other in clusters), key=lambda pair: (-pair[0], clusters[pair[1]], pair[1]))
    best = next(((score, other) for score, other in scored if score >= THRESHOLD), None)
    if best is None:
        return Assignment(article_id, article_id, None, None)
    score, other = best
    return Assignment(article_id, clusters[other], round(score, 4), other)


def _store(con: duckdb.DuckDBPyConnection, todo: list[tuple[str, str, np.ndarray, list[int], str]],
           assignments: list[Assignment], clustered: set[str]) -> None:
    con.register("new_signatures", pd.DataFrame({
        "article_id": [item[0] for item in todo], "body_hash": [item[1] for item in todo],
        "signature": [item[2].astype("<u4").tobytes() for item in todo]}))
    con.execute("INSERT INTO story_signatures SELECT article_id, ?, body_hash, signature FROM new_signatures",
                [METHOD])
    con.unregister("new_signatures")
    con.register("new_bands", pd.DataFrame({
        "band_key": pd.Series([key for item in todo for key in item[3]], dtype="int64"),
        "article_id": [item[0] for item in todo for _ in item[3]]}))
    con.execute("INSERT INTO story_bands SELECT band_key, article_id FROM new_bands")
    con.unregister("new_bands")
    # an article seen before keeps its first run and says it was updated in this one
    con.register("new_clusters", pd.DataFrame({
        "article_id": [a.article_id for a in assignments], "cluster_id": [a.cluster_id for a in assignments],
        "similarity": pd.Series([a.similarity for a in assignments], dtype="float64"),
        "matched": [a.matched for a in assignments], "run_id": [item[4] for item in todo],
        "seen": [a.article_id in clustered for a in assignments]}))
    con.execute("""
        INSERT INTO story_clusters (article_id, cluster_id, similarity, matched, first_run_id, updated_run_id)
        SELECT article_id, cluster_id, similarity, matched, run_id, NULL FROM new_clusters WHERE NOT seen
    """)
    con.execute("""
        UPDATE story_clusters c SET cluster_id = n.cluster_id, similarity = n.similarity, matched = n.matched,
                                    updated_run_id = n.run_id
        FROM new_clusters n WHERE n.seen AND c.article_id = n.article_id
    """)
    con.unregister("new_clusters")


@dataclass(frozen=True)
class RunCounts:
    """What a run's articles were: new stories, copies of a story (they joined an existing
    cluster), articles loaded before whose text changed, and articles loaded again unchanged."""

    new: int
    copies: int
    updated: int
    unchanged: int


def run_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> RunCounts:
    new, copies, updated, unchanged = con.execute("""
        SELECT count(*) FILTER (WHERE c.first_run_id = $1 AND c.cluster_id = c.article_id),
               count(*) FILTER (WHERE c.first_run_id = $1 AND c.cluster_id <> c.article_id),
               count(*) FILTER (WHERE c.first_run_id <> $1 AND c.updated_run_id = $1),
               count(*) FILTER (WHERE a.run_id = $1 AND c.first_run_id <> $1
                                AND c.updated_run_id IS DISTINCT FROM $1)
        FROM story_clusters c JOIN articles a USING (article_id)
        WHERE c.first_run_id = $1 OR c.updated_run_id = $1 OR a.run_id = $1
    """, [run_id]).fetchall()[0]
    return RunCounts(new, copies, updated, unchanged)
