-- The public register's read model (0014, 0020, 0022) carries the last four columns of the
-- register's CSV that it lacked: whether the interest is direct or indirect, the relationship
-- (for an indirect one), the action taken, and the kind's details (JSON, as interest_versions
-- keeps them). A broad search's CSV (model/public/public_register.cpp: public_register_csv_entries)
-- is then written from public_entries alone, without a seek into interest_versions per match.
--
-- They are the shown version's (public_entries.version), written by the one trigger that writes
-- an entry's rows (a new interest version replaces them), so they stay in step in the same
-- transaction. A withheld entry keeps them empty (0, '', '', '{}'), as it keeps everything else
-- it hides: the CSV writes a withheld entry's cells empty in any case.

ALTER TABLE public_entries ADD COLUMN indirect INTEGER NOT NULL DEFAULT 0;
ALTER TABLE public_entries ADD COLUMN relationship TEXT NOT NULL DEFAULT '';
ALTER TABLE public_entries ADD COLUMN action_taken TEXT NOT NULL DEFAULT '';
ALTER TABLE public_entries ADD COLUMN details TEXT NOT NULL DEFAULT '{}';

-- Filled for the register already on record. None of the four is counted or searched, so the
-- update trigger (0022: the counts and the FTS5 index) is set aside while they are filled
-- instead of deleting and reinserting every entry's search row; it is created again as it was.
DROP TRIGGER public_entries_search_update;
UPDATE public_entries SET indirect = v.indirect, relationship = v.relationship, action_taken = v.action_taken,
       details = v.details
  FROM interest_versions AS v
 WHERE public_entries.withheld = 0 AND v.interest_id = public_entries.interest_id AND v.version = public_entries.version;
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

-- 0022's trigger, writing the four columns too.
DROP TRIGGER interest_versions_public_entries;
CREATE TRIGGER interest_versions_public_entries AFTER INSERT ON interest_versions BEGIN
  DELETE FROM public_entries WHERE entry_key IN (NEW.interest_id * 2, NEW.interest_id * 2 + 1);
  INSERT INTO public_entries (entry_key, interest_id, modes, version, person_id, person_kind, withheld, organisation_id, name, name_key, organisation, organisation_key, identifier, nature, category, type_key, date_from, date_to, to_key, declared_on, listed, kind, body_id, indirect, relationship, action_taken, details)
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
       p.body_id,
       CASE WHEN NEW.withheld THEN 0 ELSE v.indirect END,
       CASE WHEN NEW.withheld THEN '' ELSE v.relationship END,
       CASE WHEN NEW.withheld THEN '' ELSE v.action_taken END,
       CASE WHEN NEW.withheld THEN '{}' ELSE v.details END
  FROM (SELECT NEW.interest_id AS interest_id,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status IN ('submitted', 'approved')) AS v0,
          (SELECT MAX(x.version) FROM interest_versions x WHERE x.interest_id = NEW.interest_id AND x.status = 'approved') AS v1) k
  JOIN (SELECT 0 AS reviewed UNION ALL SELECT 1) m ON m.reviewed = 0 OR k.v1 IS NOT k.v0
  JOIN interest_versions v ON v.interest_id = k.interest_id AND v.version = CASE m.reviewed WHEN 0 THEN k.v0 ELSE k.v1 END
  JOIN public_person_keys p ON p.person_id = v.person_id
  LEFT JOIN public_organisation_keys o ON o.organisation_id = v.organisation_id;
END;
