-- The tour report is public once the organizers publish it.
ALTER TABLE tours ADD COLUMN report_published_at TIMESTAMP;
