#!/usr/bin/env python3
"""Writes a synthetic register as a Probity bundle (docs/bundle-format.md), deterministic for a seed.

Every person holds `--per-person` interests (default 5), so a register of N interests has N/5
people. The first 30 people sit on one committee with a meeting of 40 agenda items that link
organisations some of them hold interests in: at every register size the meeting's participants
hold the same number of interests, so the conflicts check should not grow with the register.
Person 1 has the email bench-member@example.org, for an account made with `probity init`.
"""
import argparse
import json
import random
import sys

FIRST = ["Amir", "Margaret", "Chidi", "Helen", "Priya", "Tom", "Sian", "Gareth", "Aisha", "John", "Fatima",
         "David", "Grace", "Owen", "Mei", "Rhys", "Zara", "Peter", "Nia", "Samuel", "Ruth", "Imran", "Claire", "Ewan"]
LAST = ["Hassan", "Ellison", "Okonkwo", "Whitfield", "Harding", "Morris", "Bennett", "Fletcher", "McLeod", "Grant",
        "Price", "Chapman", "Patel", "Jones", "Evans", "Khan", "Taylor", "Williams", "Nguyen", "Murphy", "Davies"]
ORG_WORDS = ["Riverside", "Millbrook", "Northbrook", "Oakfield", "Hillside", "Meadow", "Castle", "Station", "Park",
             "Abbey", "Valley", "Harbour", "Church", "Bridge", "Elm", "Willow", "Kingsway", "Victoria"]
NATURES = ["Partner (GMS contract holder)", "Director and shareholder", "Non-executive director",
           "Trustee", "Member of the board of governors", "Shareholder (more than 5%)", "Paid adviser",
           "Employee (salaried GP)", "Spouse is a director", "Honorary lecturer"]
CATEGORIES = ["financial", "financial", "non_financial_professional", "non_financial_personal", "indirect"]
KINDS = ["gp", "lay", "executive", "clinical", "officer"]


def date(rng, y0, y1):
    return f"{rng.randint(y0, y1)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--interests", type=int, required=True)
    ap.add_argument("--per-person", type=int, default=5)
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("-o", "--output", default="-")
    a = ap.parse_args()
    rng = random.Random(a.seed)
    n_people = max(30, a.interests // a.per_person)
    n_orgs = max(120, n_people)

    orgs = []
    n_feds = max(4, n_orgs // 50)
    for i in range(n_orgs):
        ref = f"o{i}"
        if i < n_feds:
            orgs.append({"ref": ref, "name": f"{ORG_WORDS[i % len(ORG_WORDS)]} Primary Care Federation {i} Ltd",
                         "identifier": f"F{i:07d}", "kind": "federation"})
        elif i % 3 == 0:
            orgs.append({"ref": ref, "name": f"{rng.choice(ORG_WORDS)} Surgery {i}", "identifier": f"B{i:07d}",
                         "kind": "gp_practice", "parent": f"o{rng.randrange(n_feds)}"})
        else:
            orgs.append({"ref": ref, "name": f"{rng.choice(ORG_WORDS)} Health Services {i} Limited",
                         "identifier": f"{i:08d}", "kind": "company"})

    people = []
    for i in range(n_people):
        kind = KINDS[i % len(KINDS)]
        p = {"ref": f"p{i}", "name": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}", "kind": kind,
             "position": f"{kind.capitalize()} member"}
        if i == 0:
            p["email"] = "bench-member@example.org"
        if kind == "gp":
            p["practice"] = f"o{3 * rng.randrange(1, n_orgs // 3)}"
        people.append(p)

    # The meeting's organisations: a pool that participants' interests and agenda items share.
    pool = [f"o{i}" for i in range(n_feds, n_feds + 100)]
    interests = []
    for i in range(n_people * a.per_person):
        person = i % n_people
        category = rng.choice(CATEGORIES)
        org = rng.choice(pool) if person < 30 else f"o{rng.randrange(n_orgs)}"
        it = {"ref": f"i{i}", "person": f"p{person}", "category": category, "organisation": org,
              "nature": rng.choice(NATURES), "from": date(rng, 2012, 2024), "declared_on": date(rng, 2024, 2025)}
        if category == "indirect":
            it["relationship"] = "spouse"
        r = rng.random()
        if r < 0.05:
            it["to"] = max(it["from"], date(rng, 2024, 2025))
        elif r < 0.07:
            it["withheld"] = True
            it["withheld_reason"] = "Personal safety"
        elif r < 0.08:
            it["status"] = "draft"
        interests.append(it)

    gifts = [{"ref": f"g{i}", "person": f"p{i % n_people}", "kind": rng.choice(["gift", "hospitality"]),
              "organisation": rng.choice(pool), "description": "Dinner after a supplier briefing",
              "value": f"{rng.randint(5, 80)}.00", "offered_on": "2025-09-01", "outcome": "accepted",
              "declared_on": "2025-09-05"} for i in range(max(30, n_people // 10))]

    members = [{"person": "p0", "role": "chair", "from": "2024-04-01"}, {"person": "p1", "role": "vice_chair", "from": "2024-04-01"}]
    members += [{"person": f"p{i}", "role": "voting" if i < 24 else "non_voting", "from": "2024-04-01"} for i in range(2, 30)]
    committee = {"ref": "c-bench", "name": "Primary Care Commissioning Committee",
                 "quorum": {"min_voting": 6, "min_lay": 1, "min_executive": 1, "lay_executive_majority": True},
                 "members": members}
    categories = ["gp_contract", "procurement", "practice_merger", "local_incentive_scheme", "other"]
    agenda = []
    for i in range(40):
        cat = categories[i % len(categories)]
        agenda.append({"ref": f"a{i}", "title": f"Item {i + 1}: {cat.replace('_', ' ')}", "category": cat,
                       "organisations": rng.sample(pool, 2)})
    meeting = {"ref": "m-bench", "committee": "c-bench", "title": "Benchmark meeting", "date": "2026-06-10",
               "attendance": [{"person": f"p{i}", "status": "present"} for i in range(30)], "agenda": agenda}

    bundle = {"format": "probity-bundle", "version": 1, "organisations": orgs, "people": people,
              "committees": [committee], "interests": interests, "gifts": gifts, "meetings": [meeting]}
    out = sys.stdout if a.output == "-" else open(a.output, "w")
    json.dump(bundle, out)
    out.write("\n")


if __name__ == "__main__":
    main()
