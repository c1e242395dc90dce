ALTER TABLE venues DROP COLUMN copied_from;
ALTER TABLE registrations DROP COLUMN manage_link_version;
ALTER TABLE talk_speakers DROP COLUMN accepted_at;
ALTER TABLE proposals DROP COLUMN confirmed_at;
ALTER TABLE speakers DROP COLUMN confirmed_at;
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
ALTER TABLE api_tokens DROP COLUMN expires_at;
DROP TABLE sessions;
