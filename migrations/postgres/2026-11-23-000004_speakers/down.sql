DROP TABLE materials;
ALTER TABLE stops DROP COLUMN agenda_published_at;
DROP TABLE agenda_changes;
DROP TABLE agenda_items;
DROP TABLE proposal_stops;
DROP TABLE proposals;
DROP TABLE talk_speakers;
DROP TABLE talks;
DROP TABLE speakers;
