-- The public register's read model, kept by triggers in the same transaction as every write, so
-- that a page of the register is read through indexes instead of building every row in memory.
--
-- public_entries holds, for each interest, the version the public sees in each of the two
-- publication modes (where review is off, submitted or approved versions are published; where
-- it is on, only approved ones): one row when both modes show the same version (modes = 3),
-- otherwise a row for each (modes = 1 and modes = 2), with the sort keys the register orders by,
-- made by the code's own functions, which every connection gives SQL (model/store/database.cpp):
-- probity_name_key (model/base/names.hpp: name_sort_key, surname first and titles left out) and
-- probity_fold (fold_case, for organisations). A withheld entry keeps
-- only its person and its end date (which decides whether it is still on the public register);
-- everything it hides is NULL or empty here, so neither a sort nor a search can reveal it.
-- Its key, entry_key, is interest_id * 2, plus 1 for the row shown only where review is on.
--
-- public_entry_counts counts them for the register's totals.
--
-- public_search is an FTS5 index over public_entries (external content): the person's name, the
-- organisation's name and identifier, and the nature of the interest.
--
-- The publication rules themselves stay in model/register/publication_rules.cpp: the page's rows
-- are built from their versions by that code; this table only decides which rows, in what order.

-- The register's Last-Modified reads the latest change of each of these: without an index on
-- recorded_at, each was a full scan of its versions.
CREATE INDEX interest_versions_recorded_at ON interest_versions(recorded_at);
CREATE INDEX gift_versions_recorded_at ON gift_versions(recorded_at);
CREATE INDEX nil_return_versions_recorded_at ON nil_return_versions(recorded_at);
CREATE INDEX person_versions_recorded_at ON person_versions(recorded_at);
CREATE INDEX committee_versions_recorded_at ON committee_versions(recorded_at);
CREATE INDEX membership_versions_recorded_at ON membership_versions(recorded_at);
CREATE INDEX organisation_versions_recorded_at ON organisation_versions(recorded_at);
-- The gifts register, latest offered first.
CREATE INDEX gift_versions_offered ON gift_versions(offered_on DESC, gift_id DESC);

-- The current name of each person and organisation with its folded key.
CREATE TABLE public_person_keys (
  person_id INTEGER PRIMARY KEY REFERENCES people(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  kind TEXT NOT NULL
);
CREATE TABLE public_organisation_keys (
  organisation_id INTEGER PRIMARY KEY REFERENCES organisations(id),
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  identifier TEXT NOT NULL
);

CREATE TABLE public_entries (
  entry_key INTEGER PRIMARY KEY,
  interest_id INTEGER NOT NULL,
  modes INTEGER NOT NULL,  -- 1: shown where review is off, 2: where it is on, 3: both
  version INTEGER NOT NULL,
  person_id INTEGER NOT NULL,
  person_kind TEXT NOT NULL,
  withheld INTEGER NOT NULL,
  organisation_id INTEGER,
  name TEXT NOT NULL,
  name_key TEXT NOT NULL,
  organisation TEXT,
  organisation_key TEXT,
  identifier TEXT NOT NULL,
  nature TEXT NOT NULL,
  category TEXT,
  type_key TEXT,
  date_from TEXT,
  date_to TEXT,
  to_key TEXT,
  declared_on TEXT
);
CREATE INDEX public_entries_person ON public_entries(person_id);
CREATE INDEX public_entries_organisation ON public_entries(organisation_id);

-- How many entries there are of each mode, kind of person, type and end date ('' for none,
-- and for a withheld entry's type): the register's total for any day is a sum over the few
-- end dates within the public window, not a count of its rows.
CREATE TABLE public_entry_counts (
  date_to TEXT NOT NULL,
  modes INTEGER NOT NULL,
  person_kind TEXT NOT NULL,
  category TEXT NOT NULL,
  n INTEGER NOT NULL,
  PRIMARY KEY (date_to, modes, person_kind, category)
) WITHOUT ROWID;
-- One index for each sort and direction: the register's order is the sort key (entries without
-- one last in either direction), then the folded name, then the entry's id; the columns after
-- those let the filters and the six-month rule be checked without reading the row.
CREATE INDEX public_entries_by_name ON public_entries(name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_name_desc ON public_entries(name_key DESC, interest_id, modes, date_to);
CREATE INDEX public_entries_by_organisation ON public_entries(organisation_key IS NULL, organisation_key, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_organisation_desc ON public_entries(organisation_key IS NULL, organisation_key DESC, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_type ON public_entries(type_key IS NULL, type_key, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_type_desc ON public_entries(type_key IS NULL, type_key DESC, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_from ON public_entries(date_from IS NULL, date_from, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_from_desc ON public_entries(date_from IS NULL, date_from DESC, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_to ON public_entries(to_key IS NULL, to_key, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_to_desc ON public_entries(to_key IS NULL, to_key DESC, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_declared ON public_entries(declared_on IS NULL, declared_on, name_key, interest_id, modes, date_to);
CREATE INDEX public_entries_by_declared_desc ON public_entries(declared_on IS NULL, declared_on DESC, name_key, interest_id, modes, date_to);

CREATE VIRTUAL TABLE public_search USING fts5(
  name, organisation, identifier, nature,
  content='public_entries', content_rowid='entry_key',
  tokenize='unicode61 remove_diacritics 0'
);

CREATE TRIGGER public_entries_search_insert AFTER INSERT ON public_entries BEGIN
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), 1)
  ON CONFLICT (date_to, modes, person_kind, category) DO UPDATE SET n = n + 1;
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;
CREATE TRIGGER public_entries_search_delete AFTER DELETE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - 1
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '');
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
END;
CREATE TRIGGER public_entries_search_update AFTER UPDATE ON public_entries BEGIN
  UPDATE public_entry_counts SET n = n - 1
   WHERE date_to = COALESCE(OLD.date_to, '') AND modes = OLD.modes AND person_kind = OLD.person_kind
     AND category = COALESCE(OLD.category, '');
  INSERT INTO public_entry_counts(date_to, modes, person_kind, category, n)
  VALUES (COALESCE(NEW.date_to, ''), NEW.modes, NEW.person_kind, COALESCE(NEW.category, ''), 1)
  ON CONFLICT (date_to, modes, person_kind, category) DO UPDATE SET n = n + 1;
  INSERT INTO public_search(public_search, rowid, name, organisation, identifier, nature)
  VALUES ('delete', OLD.entry_key, OLD.name, COALESCE(OLD.organisation, ''), OLD.identifier, OLD.nature);
  INSERT INTO public_search(rowid, name, organisation, identifier, nature)
  VALUES (NEW.entry_key, NEW.name, COALESCE(NEW.organisation, ''), NEW.identifier, NEW.nature);
END;

-- A new version of a person (a rename, a change of kind) or of an organisation reaches every
-- entry that shows it.
CREATE TRIGGER person_versions_public_keys AFTER INSERT ON person_versions BEGIN
  INSERT OR REPLACE INTO public_person_keys(person_id, name, name_key, kind)
  VALUES (NEW.person_id, NEW.name, probity_name_key(NEW.name), NEW.kind);
  UPDATE public_entries SET name = NEW.name, person_kind = NEW.kind,
         name_key = (SELECT name_key FROM public_person_keys WHERE person_id = NEW.person_id)
   WHERE person_id = NEW.person_id AND (name <> NEW.name OR person_kind <> NEW.kind);
END;
CREATE TRIGGER organisation_versions_public_keys AFTER INSERT ON organisation_versions BEGIN
  INSERT OR REPLACE INTO public_organisation_keys(organisation_id, name, name_key, identifier)
  VALUES (NEW.organisation_id, NEW.name, probity_fold(NEW.name), NEW.identifier);
  UPDATE public_entries SET organisation = NEW.name, identifier = NEW.identifier,
         organisation_key = (SELECT name_key FROM public_organisation_keys WHERE organisation_id = NEW.organisation_id)
   WHERE organisation_id = NEW.organisation_id AND (organisation <> NEW.name OR identifier <> NEW.identifier);
END;
-- A new version of an interest (declared, changed, ended, withheld, shown again, reviewed)
-- replaces its rows. Versions are written in order, so NEW is the newest: its withheld flag is
-- the entry's (model/register/publication_rules.cpp: public_version).
CREATE TRIGGER interest_versions_public_entries AFTER INSERT ON interest_versions BEGIN
  DELETE FROM public_entries WHERE entry_key IN (NEW.interest_id * 2, NEW.interest_id * 2 + 1);
  INSERT INTO public_entries (entry_key, interest_id, modes, version, person_id, person_kind, withheld, organisation_id, name, name_key, organisation, organisation_key, identifier, nature, category, type_key, date_from, date_to, to_key, declared_on)
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
       CASE WHEN NEW.withheld THEN NULL ELSE v.declared_on END
  FROM (SELECT NEW.interest_id AS interest_id,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status IN ('submitted', 'approved')) AS v0,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status = 'approved') AS v1) k
  JOIN (SELECT 0 AS reviewed UNION ALL SELECT 1) m ON m.reviewed = 0 OR k.v1 IS NOT k.v0
  JOIN interest_versions v ON v.interest_id = k.interest_id AND v.version = CASE m.reviewed WHEN 0 THEN k.v0 ELSE k.v1 END
  JOIN public_person_keys p ON p.person_id = v.person_id
  LEFT JOIN public_organisation_keys o ON o.organisation_id = v.organisation_id;
END;

-- Built for the register already on record.
INSERT INTO public_person_keys(person_id, name, name_key, kind)
  SELECT id, name, probity_name_key(name), kind FROM person_current;
INSERT INTO public_organisation_keys(organisation_id, name, name_key, identifier)
  SELECT id, name, probity_fold(name), identifier FROM organisation_current;
INSERT INTO public_entries (entry_key, interest_id, modes, version, person_id, person_kind, withheld, organisation_id, name, name_key, organisation, organisation_key, identifier, nature, category, type_key, date_from, date_to, to_key, declared_on)
  SELECT v.interest_id * 2 + m.reviewed, v.interest_id, CASE WHEN m.reviewed = 1 THEN 2 WHEN k.v1 IS k.v0 THEN 3 ELSE 1 END, v.version, v.person_id, p.kind, w.withheld,
       CASE WHEN w.withheld THEN NULL ELSE v.organisation_id END,
       p.name, p.name_key,
       CASE WHEN w.withheld THEN NULL ELSE o.name END, CASE WHEN w.withheld THEN NULL ELSE o.name_key END,
       CASE WHEN w.withheld OR o.identifier IS NULL THEN '' ELSE o.identifier END,
       CASE WHEN w.withheld THEN '' ELSE v.nature END,
       CASE WHEN w.withheld THEN NULL ELSE v.category END,
       CASE WHEN w.withheld THEN NULL ELSE CASE v.category WHEN 'financial' THEN 'Financial'
            WHEN 'non_financial_professional' THEN 'Non-financial professional'
            WHEN 'non_financial_personal' THEN 'Non-financial personal' WHEN 'indirect' THEN 'Indirect' END END,
       CASE WHEN w.withheld THEN NULL ELSE v.date_from END,
       v.date_to,
       CASE WHEN w.withheld THEN NULL ELSE COALESCE(v.date_to, '9999-12-31') END,
       CASE WHEN w.withheld THEN NULL ELSE v.declared_on END
  FROM (SELECT i.id AS interest_id,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = i.id AND x.status IN ('submitted', 'approved')) AS v0,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = i.id AND x.status = 'approved') AS v1,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = i.id) AS vn
          FROM interests i) k
  JOIN interest_versions w ON w.interest_id = k.interest_id AND w.version = k.vn
  JOIN (SELECT 0 AS reviewed UNION ALL SELECT 1) m ON m.reviewed = 0 OR k.v1 IS NOT k.v0
  JOIN interest_versions v ON v.interest_id = k.interest_id AND v.version = CASE m.reviewed WHEN 0 THEN k.v0 ELSE k.v1 END
  JOIN public_person_keys p ON p.person_id = v.person_id
  LEFT JOIN public_organisation_keys o ON o.organisation_id = v.organisation_id;
