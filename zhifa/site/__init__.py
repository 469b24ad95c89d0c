"""The top floor: what assembles the product from the apps below it — the staff home page
(dashboard), the demo seed (`zhifa seed`, demo/), the benchmarks (`zhifa bench`). No app imports it."""
