"""The pyosmium side of bench/ingest.sh: decode a PBF the way tripsmith ingest does.

Usage: python bench/pyosmium_ingest.py FILE.osm.pbf MODE
MODE "tags":      visit every node and way and test the five POI keys (decode + tag scan).
MODE "locations": the same with node locations cached for ways (locations=True), which tripsmith
                  needs for way centroids and road geometry; also touches highway way locations.
MODE "filtered":  pyosmium's fastest form: a C++ KeyFilter hands Python only the tagged objects.
Prints the wall time in seconds.
"""
import sys
import time

import osmium

KEYS = ["tourism", "amenity", "leisure", "historic", "shop"]


class Handler(osmium.SimpleHandler):
    def __init__(self, with_locations):
        super().__init__()
        self.with_locations = with_locations
        self.tagged = 0
        self.highway_nodes = 0

    def node(self, n):
        for k in KEYS:
            if k in n.tags:
                self.tagged += 1

    def way(self, w):
        for k in KEYS:
            if k in w.tags:
                self.tagged += 1
        if self.with_locations and "highway" in w.tags:
            for n in w.nodes:
                if n.location.valid():
                    self.highway_nodes += 1


path, mode = sys.argv[1], sys.argv[2]
start = time.perf_counter()
if mode == "filtered":
    tagged = 0
    for obj in osmium.FileProcessor(path).with_filter(osmium.filter.KeyFilter(*KEYS)):
        tagged += 1
else:
    h = Handler(mode == "locations")
    h.apply_file(path, locations=(mode == "locations"))
print(f"{time.perf_counter() - start:.4f}")
