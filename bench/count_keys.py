"""Independent counts with pyosmium: nodes and ways carrying each key, whatever its value.

Usage: python bench/count_keys.py FILE.osm.pbf
Prints one JSON object in the shape of `tripsmith ingest --json`'s "elements_with_key", plus
element totals. The end-to-end tests compare against numbers produced by this script.
"""
import json
import sys

import osmium

KEYS = ["tourism", "amenity", "leisure", "historic", "shop"]


class Counter(osmium.SimpleHandler):
    def __init__(self):
        super().__init__()
        self.counts = {k: {"nodes": 0, "ways": 0} for k in KEYS}
        self.nodes = self.ways = self.relations = 0

    def node(self, n):
        self.nodes += 1
        for k in KEYS:
            if k in n.tags:
                self.counts[k]["nodes"] += 1

    def way(self, w):
        self.ways += 1
        for k in KEYS:
            if k in w.tags:
                self.counts[k]["ways"] += 1

    def relation(self, r):
        self.relations += 1


h = Counter()
h.apply_file(sys.argv[1])
print(json.dumps({"nodes": h.nodes, "ways": h.ways, "relations": h.relations, "elements_with_key": h.counts}))
