ALTER TABLE stops DROP COLUMN calendar_sequence;
DROP TABLE desk_helpers;
DROP TABLE stop_jobs;
DROP TABLE venue_switches;
DROP TABLE stop_counters;
DROP TABLE registrations;
