#!/usr/bin/env python3
"""Both TravelPlanner evaluators on the same plans, query by query.

usage: tp_agreement.py BINARY [DATA_DIR]   (DATA_DIR default ../shared/data/travelplanner)

For each set -- the train queries planned by tripsmith, the train queries' human-annotated
plans, the structured validation queries planned by tripsmith, the TravelPlanner-unsat
queries planned (or refused) by tripsmith, and seeded mutants of tripsmith's train plans (each
with one change a careless planner makes: a restaurant of another city, a repeated attraction,
another lodging, a shortened name, a missing meal, another flight...) -- the plans are scored by tripsmith's evaluator
(`tripsmith eval travelplanner --plans FILE --json`) and by the official evaluator through
../shared/tools/tp_official_score.py, and every query on which the two verdicts (pass or not)
differ is printed, and for the mutants also every check on which they differ. The official scorer's flights table is rebuilt from the train reference
information; the flights of the validation file's reference information are added to it, as
tripsmith reads both. Needs Python with pandas and tqdm (the official code imports them).
"""
import ast, contextlib, csv, io, json, os, random, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
TOOLS = os.path.join(HERE, "..", "..", "shared", "tools")


def table_rows(text):
    """Rows of a pandas `to_string()` table (right-aligned columns, as in `reference_information`)."""
    lines = [l for l in text.split("\n") if l.strip()]
    header = lines[0]
    names, ends, i = [], [], 0
    for part in header.split():
        i = header.index(part, i) + len(part)
        names.append(part)
        ends.append(i)
    # Multi-word header names ("Flight Number") are glued back by their known spelling.
    known = ["Flight Number", "Price", "DepTime", "ArrTime", "ActualElapsedTime", "FlightDate", "OriginCityName",
             "DestCityName", "Distance"]
    cols, k = [], 0
    while k < len(names):
        if k + 1 < len(names) and f"{names[k]} {names[k + 1]}" in known:
            cols.append((f"{names[k]} {names[k + 1]}", ends[k + 1])); k += 2
        else:
            cols.append((names[k], ends[k])); k += 1
    rows = []
    for line in lines[1:]:
        row, start = {}, 0
        for name, end in cols:
            row[name] = line[start:end].strip(); start = end
        rows.append(row)
    return rows


def validation_queries_and_flights(data):
    queries, flights = [], []
    for r in csv.DictReader(open(os.path.join(data, "validation", "selected_validation.csv"), encoding="utf-8")):
        queries.append({"org": r["org"], "dest": r["dest"], "days": int(r["days"]),
                        "visiting_city_number": int(r["visiting_city_number"]), "date": ast.literal_eval(r["date"]),
                        "people_number": int(r["people_number"]),
                        "local_constraint": ast.literal_eval(r["local_constraint"]), "budget": int(r["budget"])})
        for item in ast.literal_eval(r["reference_information"]):
            if item["Description"].startswith("Flight") and "Flight Number" in item["Content"]:
                flights.extend(table_rows(item["Content"]))
    return queries, flights


def train_queries(data):
    return [json.loads(l) for l in open(os.path.join(data, "train", "train_data_list.jsonl"), encoding="utf-8")]


def unsat_queries(data):
    with open(os.path.join(data, "unsat", "travelplanner_unsat.csv"), encoding="utf-8") as f:
        return [ast.literal_eval(r["query"]) for r in csv.DictReader(f)]


# The official checks by tripsmith's names.
CHECKS = {"is_reasonable_visiting_city": "reasonable_city_route", "is_valid_restaurants": "diverse_restaurants",
          "is_valid_attractions": "diverse_attractions", "is_valid_accommodation": "minimum_nights",
          "is_valid_transportation": "non_conflicting_transport",
          "is_valid_information_in_current_city": "within_current_city",
          "is_valid_information_in_sandbox": "within_sandbox", "is_not_absent": "complete_information",
          "valid_cost": "budget", "valid_room_rule": "room_rule", "valid_room_type": "room_type",
          "valid_cuisine": "cuisine", "valid_transportation": "transportation"}


def official_checks(reason):
    """The failing checks named in one of the official scorer's failure lines."""
    return sorted({CHECKS[k] for k in re.findall(r"\b(is_\w+|valid_\w+): ", reason) if k in CHECKS})


def mutants(queries, plans_file, data, seed=1, per_query=4):
    """Seeded one-change mutants of each plan: (queries, plans) for every mutant."""
    db = os.path.join(data, "database")
    with open(os.path.join(db, "restaurants", "clean_restaurant_2022.csv"), encoding="utf-8") as f:
        restaurants = [(r["Name"], r["City"]) for r in csv.DictReader(f)]
    with open(os.path.join(db, "accommodations", "clean_accommodations_2022.csv"), encoding="utf-8") as f:
        lodgings = [(r["NAME"], r["city"]) for r in csv.DictReader(f)]
    plans = [json.loads(l)["plan"] for l in open(plans_file, encoding="utf-8") if l.strip()]
    rng = random.Random(seed)
    out_q, out_p = [], []

    def city_of(entry):
        return entry.rsplit(",", 1)[-1].split("(")[0].strip()

    for q, plan in zip(queries, plans):
        if not plan:
            continue
        for _ in range(per_query):
            p = json.loads(json.dumps(plan))
            day = rng.choice(p)
            kind = rng.randrange(8)
            meals = [k for k in ("breakfast", "lunch", "dinner") if day[k] not in ("", "-")]
            if kind == 0 and meals:  # a restaurant of another city
                name, city = rng.choice(restaurants)
                day[rng.choice(meals)] = f"{name}, {city}"
            elif kind == 1 and meals:  # another restaurant of the same city (cuisine, budget, repeats)
                k = rng.choice(meals)
                here = [r for r in restaurants if r[1] == city_of(day[k])]
                if here:
                    name, city = rng.choice(here)
                    day[k] = f"{name}, {city}"
            elif kind == 2 and day["accommodation"] not in ("", "-"):  # another lodging of the city
                here = [a for a in lodgings if a[1] == city_of(day["accommodation"])]
                if here:
                    name, city = rng.choice(here)
                    for d in p:
                        if d["accommodation"] == day["accommodation"]:
                            d["accommodation"] = f"{name}, {city}"
            elif kind == 3 and day["accommodation"] not in ("", "-"):  # a shortened name
                name, city = day["accommodation"].rsplit(",", 1)
                day["accommodation"] = f"{name[:max(1, len(name) // 3)]},{city}"
            elif kind == 4 and meals:  # a missing meal
                day[rng.choice(meals)] = "-"
            elif kind == 5:  # an attraction of another day repeated
                others = [a for d in p for a in d["attraction"].split(";") if a.strip() and d is not day]
                if others and day["attraction"] not in ("", "-"):
                    day["attraction"] = day["attraction"] + rng.choice(others) + ";"
            elif kind == 6 and day["transportation"].startswith("Flight Number: "):  # another flight number
                day["transportation"] = day["transportation"].replace("Flight Number: F", "Flight Number: F9", 1)
            elif kind == 7 and meals:  # a meal moved to the origin city
                day[rng.choice(meals)] = f"{rng.choice([r for r in restaurants if r[1] == q['org']] or restaurants)[0]}, {q['org']}"
            out_q.append(q)
            out_p.append(p)
    return out_q, out_p


def official(queries, plans_file, data, extra_flights):
    """The official verdicts: the set of 0-based indices that pass."""
    sys.path.insert(0, TOOLS)
    import tp_official_score as tps
    build = tps.build_sandbox

    def with_more_flights(official_dir, data_dir):
        t = build(official_dir, data_dir)
        path = os.path.join(t, "database", "flights", "clean_Flights_2022.csv")
        with open(path, encoding="utf-8") as f:
            n = sum(1 for _ in f) - 1
        with open(path, "a", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            for i, fl in enumerate(extra_flights):
                w.writerow([n + i] + [fl.get(c) for c in ["Flight Number", "Price", "DepTime", "ArrTime",
                                                          "ActualElapsedTime", "FlightDate", "OriginCityName",
                                                          "DestCityName", "Distance"]])
        return t

    tps.build_sandbox = with_more_flights
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as qf:
        for q in queries:
            qf.write(json.dumps(q) + "\n")
    argv, cwd = sys.argv, os.getcwd()
    sys.argv = ["tp_official_score.py", "--data", data, "--queries", qf.name, "--plans", plans_file, "--json"]
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            tps.main()
    finally:
        sys.argv = argv; os.chdir(cwd); tps.build_sandbox = build; os.unlink(qf.name)
    result = json.loads(out.getvalue().strip().split("\n")[-1])
    failed = {i: why for i, why in result["failures"]}
    return {i for i in range(len(queries)) if i not in failed}, failed, result


def ours(binary, data, fmt, plans_file, queries_file=None):
    """tripsmith's verdicts on `plans_file`: the set of 0-based indices that pass."""
    args = [binary, "-q", "eval", "travelplanner", "--data", data, "--format", fmt, "--plans", plans_file, "--json"]
    if queries_file:
        args += ["--queries", queries_file]
    result = json.loads(subprocess.run(args, check=True, capture_output=True, text=True).stdout)
    delivered = [bool(json.loads(l).get("plan")) for l in open(plans_file, encoding="utf-8") if l.strip()]
    failed = {q["index"]: sorted(v["label"] for v in q["failures"] if not v["detail"].startswith("not judged"))
              for q in result.get("failures", [])}
    return {i for i, d in enumerate(delivered) if d and i not in failed}, failed, result


def main():
    binary = sys.argv[1]
    data = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "..", "..", "shared", "data", "travelplanner")
    data = os.path.abspath(data)
    work = tempfile.mkdtemp(prefix="tpagree")
    val_queries, val_flights = validation_queries_and_flights(data)
    sets = []
    train = train_queries(data)
    for name, fmt, queries in [("train", "train", train), ("validation", "validation", val_queries),
                               ("travelplanner-unsat", "travelplanner-unsat", unsat_queries(data))]:
        plans = os.path.join(work, f"{name}.jsonl")
        subprocess.run([binary, "-q", "eval", "travelplanner", "--data", data, "--format", fmt, "--write-plans", plans,
                        "--json"], check=True, capture_output=True)
        sets.append((f"{name}, planned by tripsmith", fmt, queries, plans, None))
    annotated = os.path.join(work, "train-annotated.jsonl")
    with open(annotated, "w", encoding="utf-8") as f:
        for i, q in enumerate(train):
            plan = q["annotated_plan"]
            plan = ast.literal_eval(plan) if isinstance(plan, str) else plan
            f.write(json.dumps({"idx": i + 1, "plan": plan[1]}) + "\n")
    sets.append(("train, human-annotated plans", "train", train, annotated, None))
    mutant_queries, mutant_plans = mutants(train, sets[0][3], data)
    mutated = os.path.join(work, "train-mutants.jsonl")
    with open(mutated, "w", encoding="utf-8") as f:
        for i, p in enumerate(mutant_plans):
            f.write(json.dumps({"idx": i + 1, "plan": p}) + "\n")
    mutant_file = os.path.join(work, "train-mutants-queries.jsonl")
    with open(mutant_file, "w", encoding="utf-8") as f:
        for q in mutant_queries:
            f.write(json.dumps(q) + "\n")
    sets.append(("train, seeded mutants of tripsmith's plans", "train", mutant_queries, mutated, mutant_file))
    total = agree = 0
    for title, fmt, queries, plans, queries_file in sets:
        theirs, why_theirs, r = official(queries, plans, data, val_flights)
        mine, why_mine, _ = ours(binary, data, fmt, plans, queries_file)
        differ = sorted(i for i in range(len(queries)) if (i in theirs) != (i in mine))
        total += len(queries); agree += len(queries) - len(differ)
        print(f"{title}: {len(queries)} queries; official final pass {len(theirs)}/{len(queries)} "
              f"({100 * r['final_pass_rate']:.1f} %), tripsmith's evaluator {len(mine)}/{len(queries)}; "
              f"verdicts differ on {len(differ)}")
        for i in differ:
            print(f"    query {i}: official {'pass' if i in theirs else why_theirs.get(i)}; "
                  f"tripsmith {'pass' if i in mine else why_mine.get(i, 'no plan')}")
        if "mutants" in title:
            checks = [i for i in range(len(queries)) if official_checks(why_theirs.get(i, "")) != why_mine.get(i, [])]
            print(f"    failing checks differ on {len(checks)} of {len(queries)}")
            for i in checks:
                print(f"    plan {i}: official {official_checks(why_theirs.get(i, ''))} ({why_theirs.get(i, '')[:160]}); "
                      f"tripsmith {why_mine.get(i, [])}")
    print(f"agreement: {agree}/{total} queries ({100 * agree / max(total, 1):.1f} %)")


if __name__ == "__main__":
    main()
