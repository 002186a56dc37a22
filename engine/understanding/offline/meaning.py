"""Which flow a message means when none of its words are the assistant's own.

Word-piece vectors distilled from the sentence model all-MiniLM-L6-v2 (Apache-2.0) with model2vec
(`tools/build_word_vectors.py` writes them to `data/`): a text's vector is the mean of its
pieces' vectors, so "I want to complain about the service" lands near a flow named "leave
feedback" with a lookup and a sum, no model and no network at run time. Being static, the
vectors know which words are alike, not what follows from a sentence ("my basement is under
water" is nowhere near "file an insurance claim"). Each flow is
the vectors of what it says about itself (name and description, NLU examples, collect step
descriptions); a message means the flow of its nearest text, when that text is near enough and
clearly nearer than any other flow's.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from ..context import FlowInfo
from .flows import BuildCache
from .text import content_stems, identifier_words

if TYPE_CHECKING:
    import numpy as np

DATA = Path(__file__).resolve().parent / "data"
_MAX_WORD = 100  # characters: a longer "word" is one unknown piece, as in BERT
_MAX_EXAMPLES = 20  # per flow: enough to cover its phrasings, few enough to keep big assistants fast


def _numpy():
    """numpy, imported on first use: it costs about 17 MiB, which a process whose messages all match
    a flow's words (or that never runs the offline generator) should not pay."""
    import numpy

    return numpy


class WordVectors:
    """Uncased BERT word pieces and an int8 vector (with its scale) per piece."""

    def __init__(self, pieces: Sequence[str], vectors: np.ndarray, scales: np.ndarray) -> None:
        if not (len(pieces) == len(vectors) == len(scales)):
            raise ValueError("word vectors: pieces, vectors and scales differ in length")
        self.ids = {piece: i for i, piece in enumerate(pieces)}
        self.vectors = vectors
        self.scales = scales.astype("float32")
        self.dimensions = vectors.shape[1]
        self._word_ids = lru_cache(maxsize=50_000)(self._word_pieces)

    @classmethod
    def load(cls, folder: Path = DATA) -> "WordVectors":
        """Read-only and mapped, not read: processes share the pages, and only the pieces in
        use take memory."""
        np = _numpy()
        pieces = (folder / "word_pieces.txt").read_text(encoding="utf-8").split("\n")[:-1]
        vectors = np.load(folder / "word_vectors.npy", mmap_mode="r", allow_pickle=False)
        return cls(pieces, vectors, np.load(folder / "word_scales.npy", allow_pickle=False))

    def clear_cache(self) -> None:
        """Forget the words split so far (benchmarks measure first sightings)."""
        self._word_ids.cache_clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit-length row per text (zeros for a text with no known piece)."""
        np = _numpy()
        result = np.zeros((len(texts), self.dimensions), dtype=np.float32)
        for row, text in enumerate(texts):
            ids = [i for word in _words(text) for i in self._word_ids(word)]
            if ids:
                mean = (self.vectors[ids].astype(np.float32) * self.scales[ids, None]).mean(axis=0)
                norm = float(np.linalg.norm(mean))
                if norm > 0:
                    result[row] = mean / norm
        return result

    def _word_pieces(self, word: str) -> tuple[int, ...]:
        """WordPiece: the longest known prefix, then the longest known `##` continuation, and
        so on; a word that does not split into known pieces is unknown and left out."""
        if len(word) > _MAX_WORD:
            return ()
        ids, start = [], 0
        while start < len(word):
            end = len(word)
            while end > start:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.ids:
                    ids.append(self.ids[piece])
                    break
                end -= 1
            if end == start:
                return ()
            start = end
        return tuple(ids)


@lru_cache(maxsize=1)
def packaged_vectors() -> WordVectors:
    """The vectors shipped with the engine, read once per process."""
    return WordVectors.load()


def _words(text: str) -> list[str]:
    """BERT's uncased pre-tokenizer: lower case, accents off, control characters dropped, split
    on white space and around every punctuation mark and CJK character."""
    # Character by character, as BERT lower-cases: str.lower() would give a word-final Greek sigma its final form.
    text = unicodedata.normalize("NFD", "".join(char.lower() for char in text))
    words, current = [], []
    for char in text:
        category = unicodedata.category(char)
        if category == "Mn" or char in "\x00\ufffd" or (category.startswith("C") and char not in "\t\n\r"):
            continue
        if char.isspace():
            if current:
                words.append("".join(current))
                current = []
        elif _is_punctuation(char, category) or _is_cjk(char):
            if current:
                words.append("".join(current))
                current = []
            words.append(char)
        else:
            current.append(char)
    if current:
        words.append("".join(current))
    return words


def _is_punctuation(char: str, category: str) -> bool:
    code = ord(char)
    return 33 <= code <= 47 or 58 <= code <= 64 or 91 <= code <= 96 or 123 <= code <= 126 or category.startswith("P")


def _is_cjk(char: str) -> bool:
    code = ord(char)
    return (0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0x20000 <= code <= 0x2A6DF
            or 0xF900 <= code <= 0xFAFF or 0x2F800 <= code <= 0x2FA1F)


@dataclass(frozen=True)
class Nearest:
    flow_id: str
    similarity: float  # cosine of the message and the flow's nearest own text
    margin: float  # over the next flow's nearest text (the similarity itself when no other flow)
    others: int  # flows it was compared with


class FlowMeanings:
    """The vectors of every user flow's own texts, built once per assistant."""

    def __init__(self, flows: Sequence[FlowInfo], vectors: WordVectors) -> None:
        self.vectors = vectors
        owners, texts = [], []
        for flow in flows:
            if flow.is_pattern:
                continue
            for text in flow_meaning_texts(flow):
                owners.append(flow.id)
                texts.append(text)
        self.owners = owners
        self.matrix = vectors.embed(texts)

    def similarities(self, message: str, allowed: set[str]) -> dict[str, float]:
        """Each allowed flow's cosine with the message: that of its nearest own text."""
        best: dict[str, float] = {}
        if not self.owners:
            return best
        for owner, similarity in zip(self.owners, (self.matrix @ self.vectors.embed([message])[0]).tolist()):
            if owner in allowed and similarity > best.get(owner, -1.0):
                best[owner] = similarity
        return best

    def nearest(self, message: str, allowed: set[str]) -> Nearest | None:
        ranked = sorted(self.similarities(message, allowed).items(), key=lambda item: (-item[1], item[0]))
        if not ranked:
            return None
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        return Nearest(ranked[0][0], ranked[0][1], ranked[0][1] - runner_up, len(ranked) - 1)


def flow_meaning_texts(flow: FlowInfo) -> list[str]:
    """What a flow says it is for: its name with its description and each alone (a short
    message is nearest a short text), its first NLU examples and the descriptions of what it
    collects."""
    name = identifier_words(flow.name or flow.id)
    texts = [f"{name}. {flow.description}", name, flow.description]
    texts += flow.examples[:_MAX_EXAMPLES]
    texts += [c.description for c in flow.collected_slots]
    return [t.strip() for t in texts if t.strip()]


def has_meaning(text: str) -> bool:
    """A word that carries meaning to compare ("done", "7", "ok" have none)."""
    return bool(content_stems(text))


def meanings_cache(load: Callable[[], WordVectors]) -> BuildCache[FlowMeanings]:
    """FlowMeanings per assistant, by what its flows say about themselves: a guard that lets a
    flow start or not changes the flows tuple, not their meaning, so it does not rebuild them."""
    return BuildCache(lambda flows: FlowMeanings(flows, load()), key=_meaning_key)


def _meaning_key(flows: Sequence[FlowInfo]) -> tuple:
    return tuple((flow.id, flow.name, flow.description, flow.examples,
                  tuple(c.description for c in flow.collected_slots)) for flow in flows if not flow.is_pattern)
