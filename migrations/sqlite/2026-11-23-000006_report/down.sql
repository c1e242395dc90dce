ALTER TABLE tours DROP COLUMN report_published_at;
