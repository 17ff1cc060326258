"""Runs one peer solver (PyVRP, VROOM through pyvroom, or OR-Tools) on one instance and writes
its routes as a CVRPLIB .sol file, for bench/vrp.sh to re-check with `tripsmith vrp check`.

Every solver gets the same integer matrix: CVRPLIB X files use the nearest integer of the
Euclidean distance; Solomon files use distances truncated to one decimal, scaled by 10 (the
convention of the best-known costs), with times scaled by 10 too. Each runs on one thread for
at most the given seconds with seed 1.

Usage: python bench/vrp_peers.py pyvrp|vroom|ortools INSTANCE SECONDS OUT.sol
"""

import math
import sys

import vrplib


def load(path):
    """Integer matrix, demands, capacity, windows, service times and fleet size of an instance."""
    solomon = path.endswith(".txt")
    raw = vrplib.read_instance(path, instance_format="solomon" if solomon else "vrplib")
    coords = raw["node_coord"]
    n = len(coords)
    if solomon:
        scale = 10
        dist = [[math.floor(10 * math.dist(coords[i], coords[j]) + 1e-9) for j in range(n)] for i in range(n)]
        windows = [(int(a) * scale, int(b) * scale) for a, b in raw["time_window"]]
        service = [int(s) * scale for s in raw["service_time"]]
        vehicles = int(raw["vehicles"])
    else:
        dist = [[int(math.floor(math.dist(coords[i], coords[j]) + 0.5)) for j in range(n)] for i in range(n)]
        horizon = 10**9
        windows = [(0, horizon)] * n
        service = [0] * n
        vehicles = n - 1
    for i in range(n):
        dist[i][i] = 0
    demand = [int(d) for d in raw["demand"]]
    return dist, demand, int(raw["capacity"]), windows, service, vehicles


def pyvrp_routes(inst, seconds):
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    dist, demand, capacity, windows, service, vehicles = inst
    m = Model()
    locations = [m.add_location(0, 0) for _ in dist]
    m.add_depot(locations[0], tw_early=windows[0][0], tw_late=windows[0][1])
    m.add_vehicle_type(num_available=vehicles, capacity=capacity, tw_early=windows[0][0], tw_late=windows[0][1])
    for i in range(1, len(dist)):
        m.add_client(
            locations[i], delivery=demand[i], service_duration=service[i], tw_early=windows[i][0], tw_late=windows[i][1]
        )
    for i, a in enumerate(locations):
        for j, b in enumerate(locations):
            if i != j:
                m.add_edge(a, b, distance=dist[i][j], duration=dist[i][j])
    result = m.solve(stop=MaxRuntime(seconds), seed=1, display=False)
    return [[a.idx + 1 for a in r if a.is_client()] for r in result.best.routes()]


def vroom_routes(inst, seconds):
    from datetime import timedelta

    import numpy
    import vroom

    dist, demand, capacity, windows, service, vehicles = inst
    problem = vroom.Input()
    matrix = numpy.array(dist, dtype=numpy.uint32)
    problem.set_durations_matrix(profile="car", matrix_input=matrix)
    problem.set_costs_matrix(profile="car", matrix_input=matrix)
    for k in range(vehicles):
        problem.add_vehicle(
            vroom.Vehicle(k + 1, start=0, end=0, capacity=[capacity], time_window=vroom.TimeWindow(*windows[0]))
        )
    for i in range(1, len(dist)):
        problem.add_job(
            vroom.Job(
                i,
                location=i,
                default_service=service[i],
                delivery=[demand[i]],
                time_windows=[vroom.TimeWindow(*windows[i])],
            )
        )
    solution = problem.solve(exploration_level=5, nb_threads=1, timeout=timedelta(seconds=seconds))
    routes = {}
    for row in solution.routes.itertuples():
        if row.type == "job":
            routes.setdefault(row.vehicle_id, []).append(int(row.id))
    return list(routes.values())


def ortools_routes(inst, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    dist, demand, capacity, windows, service, vehicles = inst
    n = len(dist)
    manager = pywrapcp.RoutingIndexManager(n, vehicles, 0)
    routing = pywrapcp.RoutingModel(manager)

    def distance(i, j):
        return dist[manager.IndexToNode(i)][manager.IndexToNode(j)]

    def travel(i, j):
        a = manager.IndexToNode(i)
        return service[a] + dist[a][manager.IndexToNode(j)]

    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitCallback(distance))
    load = routing.RegisterUnaryTransitCallback(lambda i: demand[manager.IndexToNode(i)])
    routing.AddDimensionWithVehicleCapacity(load, 0, [capacity] * vehicles, True, "load")
    horizon = windows[0][1]
    routing.AddDimension(routing.RegisterTransitCallback(travel), horizon, horizon, False, "time")
    time = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        time.CumulVar(manager.NodeToIndex(node)).SetRange(*windows[node])
    for k in range(vehicles):
        time.CumulVar(routing.Start(k)).SetRange(*windows[0])
        time.CumulVar(routing.End(k)).SetRange(*windows[0])
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromSeconds(int(seconds))
    found = routing.SolveWithParameters(params)
    routes = []
    if found is None:
        return routes
    for k in range(vehicles):
        index, route = routing.Start(k), []
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node != 0:
                route.append(node)
            index = found.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def main():
    solver, path, seconds, out = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4]
    inst = load(path)
    routes = {"pyvrp": pyvrp_routes, "vroom": vroom_routes, "ortools": ortools_routes}[solver](inst, seconds)
    with open(out, "w") as f:
        for k, r in enumerate(routes, 1):
            f.write(f"Route #{k}: {' '.join(map(str, r))}\n")


if __name__ == "__main__":
    main()
