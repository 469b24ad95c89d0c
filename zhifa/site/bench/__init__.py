"""Benchmarks of the assembled product (registered in zhifa.common.registry.bench_suites)."""
from zhifa.site.bench import cases, foundation, load

__all__ = ["cases", "foundation", "load"]
