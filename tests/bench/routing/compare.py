"""Compares the Solomon results of our planner, PyVRP and OR-Tools with the best-known table.

  python compare.py <bks_solomon100.csv> <dir with solomon-{ours,pyvrp,ortools}.csv>
"""
import csv
import sys


def load(path):
    with open(path) as f:
        return {row["instance"]: row for row in csv.DictReader(f)}


def main():
    bks = load(sys.argv[1])
    runs = {name: load(f"{sys.argv[2]}/solomon-{name}.csv") for name in ("ours", "pyvrp", "ortools")}
    names = [i for i in bks if all(i in r for r in runs.values())]
    print(f"{'instance':9} {'bks':>12} " + " ".join(f"{n:>16}" for n in runs))
    summary = {n: {"at_bks": 0, "gaps": [], "within1": 0} for n in runs}
    not_worse = 0
    for inst in names:
        bv, bd = int(bks[inst]["hier_vehicles"]), float(bks[inst]["hier_distance"])
        cells = []
        for n, run in runs.items():
            row = run[inst]
            v, d, u = int(row["vehicles"]), float(row["distance"]), int(row["unassigned"])
            gap = (d - bd) / bd * 100
            if u == 0 and v <= bv:
                summary[n]["at_bks"] += 1
                summary[n]["gaps"].append(gap)
                summary[n]["within1"] += gap <= 1.0
            cells.append(f"{v:>3} {d:>8.2f} {gap:>+5.1f}%" if u == 0 else f"{'infeasible':>16}")
        ours, ort = runs["ours"][inst], runs["ortools"][inst]
        key = lambda r: (int(r["unassigned"]), int(r["vehicles"]), float(r["distance"]))
        not_worse += key(ours) <= key(ort) or abs(float(ours["distance"]) - float(ort["distance"])) < 0.01
        print(f"{inst:9} {bv:>3} {bd:>8.2f} " + " ".join(cells))
    print()
    for n, s in summary.items():
        gaps = s["gaps"]
        avg = sum(gaps) / len(gaps) if gaps else float("nan")
        print(
            f"{n:8} best-known vehicle count on {s['at_bks']}/{len(names)} instances; "
            f"average distance gap there {avg:+.2f}%; within 1% on {s['within1']}/{len(names)}"
        )
    print(f"ours not worse than OR-Tools (vehicles, then distance) on {not_worse}/{len(names)} instances")


if __name__ == "__main__":
    main()
