"""Peers for the route planner benchmark: PyVRP and OR-Tools on Solomon instances, same budget.

Both solvers work on integer costs, so distances, times and service are scaled by 100 and
rounded; the reported distance is recomputed from the coordinates, as for our own planner.

  python peers.py pyvrp|ortools <seconds> <file>...
"""
import math
import sys
import time

SCALE = 100
# Vehicles first, as the best-known table does: a fixed cost no distance saving outweighs.
VEHICLE_COST = 10_000_000


def read_solomon(path):
    with open(path) as f:
        lines = [line.split() for line in f]
    fleet_at = next(i for i, l in enumerate(lines) if l and l[0] == "NUMBER")
    count, capacity = int(lines[fleet_at + 1][0]), int(lines[fleet_at + 1][1])
    rows = [
        [float(x) for x in l]
        for l in lines[fleet_at + 2:]
        if len(l) == 7 and l[0].isdigit()
    ]
    return count, capacity, rows


def dist(rows, i, j):
    return math.hypot(rows[i][1] - rows[j][1], rows[i][2] - rows[j][2])


def scaled(value):
    return int(round(value * SCALE))


def true_distance(rows, routes):
    total = 0.0
    for route in routes:
        path = [0] + route + [0]
        total += sum(dist(rows, a, b) for a, b in zip(path, path[1:]))
    return total


def solve_pyvrp(count, capacity, rows, seconds):
    from pyvrp import Model
    from pyvrp.stop import MaxRuntime

    m = Model()
    depot = rows[0]
    places = [m.add_location(x=r[1], y=r[2]) for r in rows]
    m.add_depot(places[0], tw_early=scaled(depot[4]), tw_late=scaled(depot[5]))
    m.add_vehicle_type(
        num_available=count,
        capacity=int(capacity),
        tw_early=scaled(depot[4]),
        tw_late=scaled(depot[5]),
        fixed_cost=VEHICLE_COST,
    )
    for place, r in zip(places[1:], rows[1:]):
        m.add_client(
            place,
            delivery=int(r[3]),
            service_duration=scaled(r[6]),
            tw_early=scaled(r[4]),
            tw_late=scaled(r[5]),
        )
    for i, frm in enumerate(places):
        for j, to in enumerate(places):
            value = scaled(dist(rows, i, j))
            m.add_edge(frm, to, distance=value, duration=value)
    result = m.solve(stop=MaxRuntime(seconds), seed=1, display=False)
    if not result.best.is_feasible():
        return None
    # Client activities number the clients from 0; row 0 is the depot.
    return [
        [activity.idx + 1 for activity in route.schedule() if activity.is_client()]
        for route in result.best.routes()
        if route.num_clients() > 0
    ]


def solve_ortools(count, capacity, rows, seconds):
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = len(rows)
    manager = pywrapcp.RoutingIndexManager(n, count, 0)
    routing = pywrapcp.RoutingModel(manager)
    travel = [[scaled(dist(rows, i, j)) for j in range(n)] for i in range(n)]

    def distance_cb(a, b):
        return travel[manager.IndexToNode(a)][manager.IndexToNode(b)]

    def time_cb(a, b):
        i, j = manager.IndexToNode(a), manager.IndexToNode(b)
        return travel[i][j] + scaled(rows[i][6])

    def demand_cb(a):
        return int(rows[manager.IndexToNode(a)][3])

    arc = routing.RegisterTransitCallback(distance_cb)
    routing.SetArcCostEvaluatorOfAllVehicles(arc)
    routing.SetFixedCostOfAllVehicles(VEHICLE_COST)
    demand = routing.RegisterUnaryTransitCallback(demand_cb)
    routing.AddDimensionWithVehicleCapacity(demand, 0, [int(capacity)] * count, True, "load")
    horizon = scaled(rows[0][5])
    transit = routing.RegisterTransitCallback(time_cb)
    routing.AddDimension(transit, horizon, horizon, False, "time")
    time_dim = routing.GetDimensionOrDie("time")
    for node in range(1, n):
        time_dim.CumulVar(manager.NodeToIndex(node)).SetRange(scaled(rows[node][4]), scaled(rows[node][5]))
    for v in range(count):
        time_dim.CumulVar(routing.Start(v)).SetRange(scaled(rows[0][4]), horizon)
        time_dim.CumulVar(routing.End(v)).SetRange(scaled(rows[0][4]), horizon)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    params.local_search_metaheuristic = routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    params.time_limit.FromMilliseconds(int(seconds * 1000))
    solution = routing.SolveWithParameters(params)
    if solution is None:
        return None
    routes = []
    for v in range(count):
        index = solution.Value(routing.NextVar(routing.Start(v)))
        route = []
        while not routing.IsEnd(index):
            route.append(manager.IndexToNode(index))
            index = solution.Value(routing.NextVar(index))
        if route:
            routes.append(route)
    return routes


def main():
    solver, seconds, files = sys.argv[1], float(sys.argv[2]), sys.argv[3:]
    solve = {"pyvrp": solve_pyvrp, "ortools": solve_ortools}[solver]
    print("instance,vehicles,distance,unassigned,violations,longest_ride,seconds")
    for path in files:
        count, capacity, rows = read_solomon(path)
        started = time.time()
        routes = solve(count, capacity, rows, seconds)
        took = time.time() - started
        name = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        if routes is None:
            print(f"{name},0,0,{len(rows) - 1},0,0,{took:.1f}", flush=True)
            continue
        print(f"{name},{len(routes)},{true_distance(rows, routes):.2f},0,0,0,{took:.1f}", flush=True)


if __name__ == "__main__":
    main()
