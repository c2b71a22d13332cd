-- The public register's read model (0014, 0020) follows bodies (0021; docs/bodies.md): each entry
-- carries its person's home body, so that each body's register (/register?body=ID) is read through
-- an index and counted from public_entry_counts, which now counts per body too.
--
-- A body that publishes its register elsewhere (body_versions.publication = 'elsewhere') keeps its
-- people's entries off this public register: they stay here for the conflict checks, but are not
-- listed. The entry's decision_maker column (0020) becomes `listed`: 1 when the entry's person is
-- a decision-maker AND their home body publishes here. public_person_keys keeps the person's own
-- decision_maker flag, their body and the same `listed` flag (the gifts register reads it). The
-- register's queries keep listed = 1, and the counts add `listed` (0 or 1) as they added
-- decision_maker. A person moving body, or a body switching publication, moves their entries in or
-- out of the counts at once (the triggers below).

DROP TRIGGER public_entries_search_insert;
DROP TRIGGER public_entries_search_delete;
DROP TRIGGER public_entries_search_update;
DROP TRIGGER person_versions_public_keys;
DROP TRIGGER interest_versions_public_entries;

ALTER TABLE public_entries RENAME COLUMN decision_maker TO listed;
ALTER TABLE public_entries ADD COLUMN body_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE public_person_keys ADD COLUMN body_id INTEGER NOT NULL DEFAULT 1;
ALTER TABLE public_person_keys ADD COLUMN listed INTEGER NOT NULL DEFAULT 1;

UPDATE public_person_keys SET body_id = (SELECT p.body_id FROM person_current p WHERE p.id = public_person_keys.person_id);
UPDATE public_person_keys SET listed = decision_maker AND
  COALESCE((SELECT b.publication FROM body_current b WHERE b.id = public_person_keys.body_id), 'here') = 'here';
UPDATE public_entries SET
  body_id = (SELECT k.body_id FROM public_person_keys k WHERE k.person_id = public_entries.person_id),
  listed = (SELECT k.listed FROM public_person_keys k WHERE k.person_id = public_entries.person_id);
CREATE INDEX public_person_keys_body ON public_person_keys(body_id);
-- One body's register, in the default order (by name): the body filter and the sort from one index.
CREATE INDEX public_entries_by_body ON public_entries(body_id, name_key, interest_id, modes, date_to);

-- The counts, per body as well: a body's total is a sum over its few rows.
DROP TABLE public_entry_counts;
CREATE TABLE public_entry_counts (
  date_to TEXT NOT NULL,
  modes INTEGER NOT NULL,
  person_kind TEXT NOT NULL,
  category TEXT NOT NULL,
  body_id INTEGER NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (date_to, modes, person_kind, category, body_id)
) WITHOUT ROWID;
INSERT INTO public_entry_counts(date_to, modes, person_kind, category, body_id, n)
  SELECT COALESCE(date_to, ''), modes, person_kind, COALESCE(category, ''), body_id, SUM(listed) FROM public_entries
   GROUP BY COALESCE(date_to, ''), modes, person_kind, COALESCE(category, ''), body_id;

CREATE TRIGGER public_entries_search_insert AFTER INSERT ON public_entries BEGIN
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, body_id, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), NEW.body_id, NEW.listed)
  ON CONFLICT (date_to, modes, person_kind, category, body_id) DO UPDATE SET n = n + NEW.listed;
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;
CREATE TRIGGER public_entries_search_delete AFTER DELETE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - OLD.listed
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '') AND body_id = OLD.body_id;
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
END;
CREATE TRIGGER public_entries_search_update AFTER UPDATE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - OLD.listed
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '') AND body_id = OLD.body_id;
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, body_id, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), NEW.body_id, NEW.listed)
  ON CONFLICT (date_to, modes, person_kind, category, body_id) DO UPDATE SET n = n + NEW.listed;
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;

-- A new version of a person: a rename, a change of kind, of decision-maker or of home body.
CREATE TRIGGER person_versions_public_keys AFTER INSERT ON person_versions BEGIN
  INSERT OR REPLACE INTO public_person_keys(person_id, name, name_key, kind, decision_maker, name_withheld, body_id, listed)
  SELECT NEW.person_id, CASE WHEN w THEN 'Name withheld' ELSE NEW.name END,
         probity_name_key(CASE WHEN w THEN 'Name withheld' ELSE NEW.name END), NEW.kind, NEW.decision_maker, w,
         NEW.body_id, NEW.decision_maker AND here
    FROM (SELECT EXISTS (SELECT 1 FROM withholding_request_current r
                          WHERE r.person_id = NEW.person_id AND r.status = 'agreed' AND r.withhold_name = 1) AS w,
                 COALESCE((SELECT b.publication FROM body_current b WHERE b.id = NEW.body_id), 'here') = 'here' AS here);
  UPDATE public_entries SET name = k.name, name_key = k.name_key, person_kind = NEW.kind, listed = k.listed, body_id = k.body_id
    FROM (SELECT name, name_key, listed, body_id FROM public_person_keys WHERE person_id = NEW.person_id) AS k
   WHERE public_entries.person_id = NEW.person_id
     AND (public_entries.name <> k.name OR public_entries.person_kind <> NEW.kind OR public_entries.listed <> k.listed
          OR public_entries.body_id <> k.body_id);
END;

-- A body switching publication (here <-> elsewhere) lists or unlists its people's entries.
CREATE TRIGGER body_versions_public_listing AFTER INSERT ON body_versions BEGIN
  UPDATE public_person_keys SET listed = decision_maker AND NEW.publication = 'here'
   WHERE body_id = NEW.body_id AND listed <> (decision_maker AND NEW.publication = 'here');
  UPDATE public_entries SET listed = k.listed
    FROM public_person_keys AS k
   WHERE public_entries.body_id = NEW.body_id AND k.person_id = public_entries.person_id AND public_entries.listed <> k.listed;
END;

CREATE TRIGGER interest_versions_public_entries AFTER INSERT ON interest_versions BEGIN
  DELETE FROM public_entries WHERE entry_key IN (NEW.interest_id * 2, NEW.interest_id * 2 + 1);
  INSERT INTO public_entries (entry_key, interest_id, modes, version, person_id, person_kind, withheld, organisation_id, name, name_key, organisation, organisation_key, identifier, nature, category, type_key, date_from, date_to, to_key, declared_on, listed, kind, body_id)
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
       p.listed,
       CASE WHEN NEW.withheld THEN NULL ELSE v.kind END,
       p.body_id
  FROM (SELECT NEW.interest_id AS interest_id,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status IN ('submitted', 'approved')) AS v0,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status = 'approved') AS v1) k
  JOIN (SELECT 0 AS reviewed UNION ALL SELECT 1) m ON m.reviewed = 0 OR k.v1 IS NOT k.v0
  JOIN interest_versions v ON v.interest_id = k.interest_id AND v.version = CASE m.reviewed WHEN 0 THEN k.v0 ELSE k.v1 END
  JOIN public_person_keys p ON p.person_id = v.person_id
  LEFT JOIN public_organisation_keys o ON o.organisation_id = v.organisation_id;
END;
