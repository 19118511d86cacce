"""Dump the sentences of a folder of texts, as the pipeline splits them, for labelling.

    python eval/dump_sentences.py FOLDER OUT.jsonl

One JSON object per sentence: doc_id, sentence_id, section (heading path) and
text — the input a labeller gets (docs/labelling-guide.md); labels are matched
back to the pipeline by corpus, document and text (eval/eval_tagging.py).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kb.annotate import Annotator, section_paths  # noqa: E402
from kb.pipeline import process_file  # noqa: E402
from kb.read import collect_files, read_manifest  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", type=Path)
    ap.add_argument("out", type=Path)
    args = ap.parse_args()
    annotator, manifest = Annotator(), read_manifest(args.folder)
    files, errors = collect_files([args.folder])
    for line in errors:
        print(line, file=sys.stderr)
    with args.out.open("w", encoding="utf-8") as fh:
        for path in files:
            doc = process_file(path, manifest.get(path.name), annotator)
            paths = section_paths(doc.sections)
            for s in doc.sentences:
                row = {"doc_id": doc.doc_id, "sentence_id": s.sentence_id,
                       "section": " / ".join(paths.get(s.section_id, [])) or s.kind, "text": s.text}
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
            print(f"{path.name}: {len(doc.sentences)} sentences")


if __name__ == "__main__":
    main()
