"""Drives a running `tripsmith serve` with routingpy, a maintained OSRM client library, as an
OSRM user would, unchanged: directions with steps and polyline geometry, a matrix with sources
and destinations, nearest and trip (sent by routingpy's own HTTP client: its OSRM router has no
method for them), and an error. Prints what came back as JSON for the end-to-end test to check.

Usage: python routingpy_session.py BASE_URL LON,LAT;LON,LAT;LON,LAT
"""
import json
import sys

from routingpy import OSRM
from routingpy.exceptions import RouterApiError

base_url, coordinates = sys.argv[1], sys.argv[2]
points = [[float(x) for x in pair.split(",")] for pair in coordinates.split(";")]
client = OSRM(base_url=base_url, timeout=60)
out = {}

for profile in ("foot", "driving"):
    direction = client.directions(points[:2], profile=profile, steps=True, geometries="polyline", overview="full")
    route = direction.raw["routes"][0]
    out[profile] = {
        "duration": route["duration"],
        "distance": route["distance"],
        "client_duration": direction.duration,
        "geometry": direction.geometry,
        "steps": [
            {
                "type": s["maneuver"]["type"],
                "modifier": s["maneuver"].get("modifier"),
                "name": s["name"],
                "distance": s["distance"],
                "duration": s["duration"],
            }
            for s in route["legs"][0]["steps"]
        ],
    }

precise = client.directions(points[:2], profile="foot", geometries="polyline6")
out["polyline6_points"] = len(precise.geometry)

matrix = client.matrix(points, profile="foot", sources=[0, 1], destinations=[2, 0])
out["matrix"] = {"durations": matrix.durations, "distances": matrix.distances}

text = ";".join(f"{lon},{lat}" for lon, lat in points)
out["nearest"] = client.client._request(f"/nearest/v1/foot/{text.split(';')[0]}", get_params={"number": 1})
out["trip"] = client.client._request(
    f"/trip/v1/foot/{text}", get_params={"roundtrip": "false", "source": "first", "destination": "last"}
)

try:
    client.directions(points[:2], profile="boat")
    out["error"] = None
except RouterApiError as error:
    out["error"] = {"status": error.status, "body": json.loads(error.message)}

print(json.dumps(out))
