-- Registrations against attendance ratios.
CREATE TABLE registrations (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    affiliation TEXT NOT NULL DEFAULT '',
    -- Given when the venue checks IDs at the door.
    legal_name TEXT NOT NULL DEFAULT '',
    wants_to_volunteer BOOLEAN NOT NULL DEFAULT FALSE,
    status TEXT NOT NULL CHECK (status IN ('confirmed', 'waitlisted', 'cancelled')),
    code TEXT NOT NULL,
    manage_token_hash TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'en',
    walk_in BOOLEAN NOT NULL DEFAULT FALSE,
    checked_in_at TIMESTAMP,
    -- The "still coming?" answer: 'yes' or 'no' (a 'no' also cancels).
    still_coming TEXT CHECK (still_coming IN ('yes', 'no')),
    confirmed_at TIMESTAMP,
    cancelled_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    UNIQUE (stop_id, email),
    UNIQUE (stop_id, code)
);
CREATE INDEX registrations_stop_status ON registrations(stop_id, status, created_at);
CREATE INDEX registrations_email ON registrations(email);

-- Running counts per stop. Every change of a stop's registrations first updates this row,
-- which serialises them per stop (a row lock on PostgreSQL; SQLite has one writer anyway),
-- and the CHECKs back the rules.
CREATE TABLE stop_counters (
    stop_id TEXT PRIMARY KEY NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    confirmed INTEGER NOT NULL DEFAULT 0 CHECK (confirmed >= 0),
    waitlisted INTEGER NOT NULL DEFAULT 0 CHECK (waitlisted >= 0),
    cancelled INTEGER NOT NULL DEFAULT 0 CHECK (cancelled >= 0),
    checked_in INTEGER NOT NULL DEFAULT 0 CHECK (checked_in >= 0),
    still_coming_yes INTEGER NOT NULL DEFAULT 0 CHECK (still_coming_yes >= 0)
);
INSERT INTO stop_counters (stop_id) SELECT id FROM stops;

-- Every move of a stop to another venue.
CREATE TABLE venue_switches (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    from_venue_id TEXT NOT NULL REFERENCES venues(id),
    to_venue_id TEXT NOT NULL REFERENCES venues(id),
    reason TEXT NOT NULL,
    switched_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX venue_switches_stop ON venue_switches(stop_id, created_at);

-- Scheduled jobs done once per stop (reminders, "still coming?"): the unique key makes
-- "send the 2-day reminder" happen once, whichever instance gets there first.
CREATE TABLE stop_jobs (
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    job TEXT NOT NULL,
    done_at TIMESTAMP NOT NULL,
    PRIMARY KEY (stop_id, job)
);

-- People allowed at a stop's check-in desk besides its organizers.
CREATE TABLE desk_helpers (
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL DEFAULT '',
    added_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (stop_id, email)
);

-- Calendar entries of a stop are updated in place: same UID, higher SEQUENCE.
ALTER TABLE stops ADD COLUMN calendar_sequence INTEGER NOT NULL DEFAULT 0;
