-- Two things a meeting's public page and calendar entry need (docs/meeting-rules.md, "The
-- public list of meetings"; README, "Meetings and the chair's brief"):
--
-- agenda_published: governance or the committee's chair has published the agenda ("Publish the
-- agenda"), so the public list shows the meeting while it is upcoming, with its agenda items (the
-- titles and descriptions only: never the conflicts, the brief or anything recorded at the
-- meeting). The minutes are published separately, as before (published).
--
-- start_time: the time the meeting starts, "HH:MM" (24-hour clock, Europe/London), or empty for
-- a meeting with no time given: its calendar entry is then an all-day event.
ALTER TABLE meeting_versions ADD COLUMN agenda_published INTEGER NOT NULL DEFAULT 0;
ALTER TABLE meeting_versions ADD COLUMN start_time TEXT NOT NULL DEFAULT '';
