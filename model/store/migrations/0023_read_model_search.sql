-- A broad search of the public register (one matching a large part of it, say "Director") is
-- counted and paged without asking public_entries about each match (model/public/public_register.cpp:
-- broad_search). The matches are read from public_search once; what the register hides today is
-- read through the three small indexes below and taken away; the page is then found by walking the
-- sort's covering index (0014) and keeping the matches.
--
-- An entry is hidden today when it ended before the six-month window (date_to before the cutoff),
-- when it is shown in the other publication mode only (modes is 1 or 2, not the body's), or when
-- it is not listed (0020, 0022: not a decision-maker's, or of a body publishing elsewhere). Each
-- index is searched for what it hides, so each is read in proportion to that, not to the register
-- (the index on modes for the other mode's value: where review is off, nearly every entry is
-- shown in that mode alone, modes = 1, and none is hidden that way).
CREATE INDEX public_entries_ended ON public_entries(date_to) WHERE date_to IS NOT NULL;
CREATE INDEX public_entries_one_mode ON public_entries(modes) WHERE modes <> 3;
CREATE INDEX public_entries_unlisted ON public_entries(listed) WHERE listed <> 1;
