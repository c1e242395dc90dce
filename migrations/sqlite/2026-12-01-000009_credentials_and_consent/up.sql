-- Browser sessions, checked on the server: the cookie carries a secret whose SHA-256 is the
-- row's id. Signing out deletes the row, so a copied cookie dies with it; signing out
-- everywhere and every password change delete all of an organizer's rows. Speakers,
-- volunteers and desk helpers get a row too (organizer_id NULL).
CREATE TABLE sessions (
    id TEXT PRIMARY KEY NOT NULL,
    organizer_id TEXT REFERENCES organizers(id) ON DELETE CASCADE,
    user_agent TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_seen_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
);
CREATE INDEX sessions_organizer ON sessions(organizer_id);
CREATE INDEX sessions_expires ON sessions(expires_at);

-- API tokens may expire (NULL: until revoked or the password is reset).
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMP;

-- Failed sign-ins per address and client: a stranger's guesses lock only the stranger out.
-- client '*' counts an address's failures from everywhere, with a much higher threshold.
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_failures (
    email TEXT NOT NULL,
    client TEXT NOT NULL,
    failures INTEGER NOT NULL,
    last_failure_at TIMESTAMP NOT NULL,
    locked_until TIMESTAMP,
    PRIMARY KEY (email, client)
);

-- A speaker profile is public only once its address is confirmed (the speaker followed a
-- mailed link, or an organizer of a tour they work with vouched for it).
ALTER TABLE speakers ADD COLUMN confirmed_at TIMESTAMP;
UPDATE speakers SET confirmed_at = created_at;

-- A proposal from the public form counts (organizers see it, co-speakers are told) only once
-- its submitter confirmed their address.
ALTER TABLE proposals ADD COLUMN confirmed_at TIMESTAMP;
UPDATE proposals SET confirmed_at = created_at;

-- A speaker is shown on a talk publicly only after accepting it.
ALTER TABLE talk_speakers ADD COLUMN accepted_at TIMESTAMP;
UPDATE talk_speakers SET accepted_at = (SELECT created_at FROM talks WHERE talks.id = talk_speakers.talk_id);

-- The manage link of a registration is derived from its id and this version: e-mails can
-- carry the same link for the registration's whole life; it changes only when the attendee
-- asks for a new one. 0: a link made before, whose token is random (kept until replaced).
ALTER TABLE registrations ADD COLUMN manage_link_version INTEGER NOT NULL DEFAULT 0;

-- A tour that uses someone else's venue may make its own copy; the copy remembers its origin.
ALTER TABLE venues ADD COLUMN copied_from TEXT;
