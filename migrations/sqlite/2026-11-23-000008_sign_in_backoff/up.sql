-- Failed organizer sign-ins per e-mail address (known or not, so the table reveals nobody),
-- for the backoff that slows password guessing across all instances.
CREATE TABLE sign_in_failures (
    email TEXT PRIMARY KEY NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP
);
