-- The public register's read model (0014) follows who is published and the kinds of interest
-- (0019): each entry carries its person's decision_maker flag and its kind of interest (NULL when
-- withheld, so that a kind filter cannot reveal a withheld entry's kind). Only decision-makers'
-- entries are public (model/register/publication_rules.hpp: published_person), so the query
-- keeps decision_maker = 1 and public_entry_counts counts only those: each entry adds its
-- decision_maker flag (0 or 1) to its count instead of 1. A person marked, or no longer marked, a
-- decision-maker moves all their entries in or out of the counts at once.
--
-- And it follows the Conflicts of Interest Guardian's decisions to withhold a person's name
-- (0018: an agreed withholding request with withhold_name): such a person's entries are named
-- "Name withheld" here (model/register/withholding_requests.hpp: kNameWithheld), so the name is
-- neither found by a search nor given away by where the entries sort.

ALTER TABLE public_person_keys ADD COLUMN decision_maker INTEGER NOT NULL DEFAULT 1;
ALTER TABLE public_person_keys ADD COLUMN name_withheld INTEGER NOT NULL DEFAULT 0;
ALTER TABLE public_entries ADD COLUMN decision_maker INTEGER NOT NULL DEFAULT 1;
ALTER TABLE public_entries ADD COLUMN kind TEXT;

DROP TRIGGER public_entries_search_insert;
DROP TRIGGER public_entries_search_delete;
DROP TRIGGER public_entries_search_update;
DROP TRIGGER person_versions_public_keys;
DROP TRIGGER interest_versions_public_entries;

UPDATE public_person_keys SET decision_maker = (SELECT p.decision_maker FROM person_current p WHERE p.id = public_person_keys.person_id),
  name_withheld = EXISTS (SELECT 1 FROM withholding_request_current r
                           WHERE r.person_id = public_person_keys.person_id AND r.status = 'agreed' AND r.withhold_name = 1);
UPDATE public_person_keys SET name = 'Name withheld', name_key = probity_name_key('Name withheld') WHERE name_withheld = 1;
UPDATE public_entries SET
  decision_maker = (SELECT k.decision_maker FROM public_person_keys k WHERE k.person_id = public_entries.person_id),
  name = (SELECT k.name FROM public_person_keys k WHERE k.person_id = public_entries.person_id),
  name_key = (SELECT k.name_key FROM public_person_keys k WHERE k.person_id = public_entries.person_id),
  kind = CASE WHEN withheld THEN NULL ELSE
           (SELECT v.kind FROM interest_versions v WHERE v.interest_id = public_entries.interest_id AND v.version = public_entries.version) END;
DELETE FROM public_entry_counts;
INSERT INTO public_entry_counts(date_to, modes, person_kind, category, n)
  SELECT COALESCE(date_to, ''), modes, person_kind, COALESCE(category, ''), SUM(decision_maker) FROM public_entries
   GROUP BY COALESCE(date_to, ''), modes, person_kind, COALESCE(category, '');
-- The search index read the names before; it is rebuilt from public_entries as they are now.
INSERT INTO public_search(public_search) VALUES ('rebuild');

CREATE TRIGGER public_entries_search_insert AFTER INSERT ON public_entries BEGIN
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), NEW.decision_maker)
  ON CONFLICT (date_to, modes, person_kind, category) DO UPDATE SET n = n + NEW.decision_maker;
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;
CREATE TRIGGER public_entries_search_delete AFTER DELETE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - OLD.decision_maker
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '');
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
END;
CREATE TRIGGER public_entries_search_update AFTER UPDATE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - OLD.decision_maker
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '');
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), NEW.decision_maker)
  ON CONFLICT (date_to, modes, person_kind, category) DO UPDATE SET n = n + NEW.decision_maker;
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;

CREATE TRIGGER person_versions_public_keys AFTER INSERT ON person_versions BEGIN
  INSERT OR REPLACE INTO public_person_keys(person_id, name, name_key, kind, decision_maker, name_withheld)
  SELECT NEW.person_id, CASE WHEN w THEN 'Name withheld' ELSE NEW.name END,
         probity_name_key(CASE WHEN w THEN 'Name withheld' ELSE NEW.name END), NEW.kind, NEW.decision_maker, w
    FROM (SELECT EXISTS (SELECT 1 FROM withholding_request_current r
                          WHERE r.person_id = NEW.person_id AND r.status = 'agreed' AND r.withhold_name = 1) AS w);
  UPDATE public_entries SET name = (SELECT k.name FROM public_person_keys k WHERE k.person_id = NEW.person_id),
         name_key = (SELECT k.name_key FROM public_person_keys k WHERE k.person_id = NEW.person_id),
         person_kind = NEW.kind, decision_maker = NEW.decision_maker
   WHERE person_id = NEW.person_id
     AND (name <> (SELECT k.name FROM public_person_keys k WHERE k.person_id = NEW.person_id) OR person_kind <> NEW.kind
          OR decision_maker <> NEW.decision_maker);
END;

-- The Guardian's decision on a request to withhold a name renames the person's entries here.
CREATE TRIGGER withholding_requests_public_names AFTER INSERT ON withholding_request_versions BEGIN
  UPDATE public_person_keys SET name_withheld = w.withheld,
         name = CASE WHEN w.withheld THEN 'Name withheld' ELSE w.real END,
         name_key = probity_name_key(CASE WHEN w.withheld THEN 'Name withheld' ELSE w.real END)
    FROM (SELECT EXISTS (SELECT 1 FROM withholding_request_current r
                          WHERE r.person_id = NEW.person_id AND r.status = 'agreed' AND r.withhold_name = 1) AS withheld,
                 (SELECT p.name FROM person_current p WHERE p.id = NEW.person_id) AS real) AS w
   WHERE public_person_keys.person_id = NEW.person_id AND w.real IS NOT NULL;
  UPDATE public_entries SET name = (SELECT k.name FROM public_person_keys k WHERE k.person_id = NEW.person_id),
         name_key = (SELECT k.name_key FROM public_person_keys k WHERE k.person_id = NEW.person_id)
   WHERE person_id = NEW.person_id AND name <> (SELECT k.name FROM public_person_keys k WHERE k.person_id = NEW.person_id);
END;

CREATE TRIGGER interest_versions_public_entries AFTER INSERT ON interest_versions BEGIN
  DELETE FROM public_entries WHERE entry_key IN (NEW.interest_id * 2, NEW.interest_id * 2 + 1);
  INSERT INTO public_entries (entry_key, interest_id, modes, version, person_id, person_kind, withheld, organisation_id, name, name_key, organisation, organisation_key, identifier, nature, category, type_key, date_from, date_to, to_key, declared_on, decision_maker, kind)
  SELECT v.interest_id * 2 + m.reviewed, v.interest_id, CASE WHEN m.reviewed = 1 THEN 2 WHEN k.v1 IS k.v0 THEN 3 ELSE 1 END, v.version, v.person_id, p.kind, NEW.withheld,
       CASE WHEN NEW.withheld THEN NULL ELSE v.organisation_id END,
       p.name, p.name_key,
       CASE WHEN NEW.withheld THEN NULL ELSE o.name END, CASE WHEN NEW.withheld THEN NULL ELSE o.name_key END,
       CASE WHEN NEW.withheld OR o.identifier IS NULL THEN '' ELSE o.identifier END,
       CASE WHEN NEW.withheld THEN '' ELSE v.nature END,
       CASE WHEN NEW.withheld THEN NULL ELSE v.category END,
       CASE WHEN NEW.withheld THEN NULL ELSE CASE v.category WHEN 'financial' THEN 'Financial'
            WHEN 'non_financial_professional' THEN 'Non-financial professional'
            WHEN 'non_financial_personal' THEN 'Non-financial personal' WHEN 'indirect' THEN 'Indirect' END END,
       CASE WHEN NEW.withheld THEN NULL ELSE v.date_from END,
       v.date_to,
       CASE WHEN NEW.withheld THEN NULL ELSE COALESCE(v.date_to, '9999-12-31') END,
       CASE WHEN NEW.withheld THEN NULL ELSE v.declared_on END,
       p.decision_maker,
       CASE WHEN NEW.withheld THEN NULL ELSE v.kind END
  FROM (SELECT NEW.interest_id AS interest_id,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status IN ('submitted', 'approved')) AS v0,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status = 'approved') AS v1) k
  JOIN (SELECT 0 AS reviewed UNION ALL SELECT 1) m ON m.reviewed = 0 OR k.v1 IS NOT k.v0
  JOIN interest_versions v ON v.interest_id = k.interest_id AND v.version = CASE m.reviewed WHEN 0 THEN k.v0 ELSE k.v1 END
  JOIN public_person_keys p ON p.person_id = v.person_id
  LEFT JOIN public_organisation_keys o ON o.organisation_id = v.organisation_id;
END;
