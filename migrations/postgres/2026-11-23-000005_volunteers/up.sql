-- Volunteers claim tasks of a stop.
CREATE TABLE tasks (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('registration_desk', 'host', 'speaker_liaison', 'reminders', 'photos', 'streaming', 'materials', 'report', 'setup', 'other')),
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP,
    ends_at TIMESTAMP,
    slots INTEGER NOT NULL CHECK (slots > 0 AND slots <= 1000),
    -- Running count of active claims: a claim takes a slot only while claimed < slots.
    claimed INTEGER NOT NULL DEFAULT 0 CHECK (claimed >= 0 AND claimed <= slots),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tasks_stop ON tasks(stop_id);

CREATE TABLE volunteers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    lang TEXT NOT NULL DEFAULT 'en',
    feed_token_hash TEXT,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE claims (
    id TEXT PRIMARY KEY NOT NULL,
    task_id TEXT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    volunteer_id TEXT NOT NULL REFERENCES volunteers(id) ON DELETE CASCADE,
    status TEXT NOT NULL CHECK (status IN ('claimed', 'released')),
    assigned_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    -- Marked by the organizers after the stop: true came, false did not.
    showed_up BOOLEAN,
    created_at TIMESTAMP NOT NULL,
    released_at TIMESTAMP
);
CREATE UNIQUE INDEX claims_one_active ON claims(task_id, volunteer_id) WHERE status = 'claimed';
CREATE INDEX claims_volunteer ON claims(volunteer_id);
