-- What public pages depend on, with a version bumped in the transaction that changes it.
-- Every instance polls the recent rows and drops the pages they invalidate.
CREATE TABLE cache_versions (
    key TEXT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
CREATE INDEX cache_versions_changed ON cache_versions(changed_at);
