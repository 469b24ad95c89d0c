"""zhifa bench_redaction [--docs N] [--seed S]: recall and precision per kind on the generated,
labelled decision documents (zhifa/disclosure/corpus.py)."""
import time

from django.core.management.base import BaseCommand

from zhifa.disclosure import corpus
from zhifa.disclosure.redact import KINDS


class Command(BaseCommand):
    help = "脱敏识别的召回率和准确率（按类别）"

    def add_arguments(self, parser):
        parser.add_argument("--docs", type=int, default=240)
        parser.add_argument("--seed", type=int, default=6)

    def handle(self, *args, **opts):
        docs = corpus.generate(opts["docs"], opts["seed"])
        for known in (True, False):
            t = time.perf_counter()
            stats = corpus.measure(docs, use_known_names=known)
            ms = (time.perf_counter() - t) * 1000 / len(docs)
            self.stdout.write(f"\n{len(docs)} documents, seed {opts['seed']}, "
                              f"{'with' if known else 'without'} the case's party names, {ms:.1f} ms/document")
            self.stdout.write("| kind | labels | found | missed | false positives | recall | precision |")
            self.stdout.write("|---|---|---|---|---|---|---|")
            for kind in KINDS:
                s = stats[kind]
                self.stdout.write(f"| {kind} | {s['tp'] + s['fn']} | {s['tp']} | {s['fn']} | {s['fp']} | "
                                  f"{s['recall']:.3f} | {s['precision']:.3f} |")
            for text, kind in stats["_misses"][:10]:
                self.stdout.write(f"missed {kind}: {text}")
