-- Speakers (people, reused across stops and tours), talks, proposals to a tour's call for
-- proposals, agendas, and the materials of each delivery.
CREATE TABLE speakers (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE,
    affiliation TEXT NOT NULL DEFAULT '',
    bio TEXT NOT NULL DEFAULT '',
    -- The language their e-mails are written in.
    lang TEXT NOT NULL DEFAULT 'en',
    -- The secret of the speaker's calendar feed, hashed.
    feed_token_hash TEXT,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE talks (
    id TEXT PRIMARY KEY NOT NULL,
    title TEXT NOT NULL,
    abstract TEXT NOT NULL DEFAULT '',
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0 AND duration_minutes <= 480),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE talk_speakers (
    talk_id TEXT NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
    speaker_id TEXT NOT NULL REFERENCES speakers(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (talk_id, speaker_id)
);
CREATE INDEX talk_speakers_speaker ON talk_speakers(speaker_id);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY NOT NULL,
    tour_id TEXT NOT NULL REFERENCES tours(id) ON DELETE CASCADE,
    talk_id TEXT NOT NULL REFERENCES talks(id) ON DELETE CASCADE,
    submitted_by TEXT REFERENCES speakers(id) ON DELETE SET NULL,
    status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'accepted', 'rejected', 'withdrawn')),
    decision_message TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    decided_at TIMESTAMP,
    UNIQUE (tour_id, talk_id)
);
CREATE INDEX proposals_tour ON proposals(tour_id, status);

-- The stops where the speaker could give the talk.
CREATE TABLE proposal_stops (
    proposal_id TEXT NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    PRIMARY KEY (proposal_id, stop_id)
);

-- A stop's agenda: talks at a start time, and breaks, welcome, panels, lunch.
CREATE TABLE agenda_items (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    talk_id TEXT REFERENCES talks(id) ON DELETE CASCADE,
    kind TEXT NOT NULL CHECK (kind IN ('talk', 'welcome', 'break', 'lunch', 'panel', 'other')),
    title TEXT NOT NULL DEFAULT '',
    starts_at TIMESTAMP NOT NULL,
    duration_minutes INTEGER NOT NULL CHECK (duration_minutes > 0 AND duration_minutes <= 720),
    -- When the speakers confirmed this slot.
    confirmed_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK ((kind = 'talk') = (talk_id IS NOT NULL))
);
CREATE INDEX agenda_items_stop ON agenda_items(stop_id, starts_at);
CREATE INDEX agenda_items_talk ON agenda_items(talk_id);

-- What changed in a published agenda, shown on the public page.
CREATE TABLE agenda_changes (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    change TEXT NOT NULL CHECK (change IN ('added', 'moved', 'removed')),
    old_starts_at TIMESTAMP,
    new_starts_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX agenda_changes_stop ON agenda_changes(stop_id, created_at);

ALTER TABLE stops ADD COLUMN agenda_published_at TIMESTAMP;

-- Slides, videos, photos, reports: a file in the storage backend or a link.
CREATE TABLE materials (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    agenda_item_id TEXT REFERENCES agenda_items(id) ON DELETE SET NULL,
    kind TEXT NOT NULL CHECK (kind IN ('slides', 'video', 'photos', 'report', 'other')),
    status TEXT NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'received', 'published')),
    title TEXT NOT NULL DEFAULT '',
    storage_key TEXT,
    file_name TEXT,
    content_type TEXT,
    size_bytes BIGINT,
    link_url TEXT,
    -- Markdown (the written report).
    body TEXT NOT NULL DEFAULT '',
    licence TEXT NOT NULL DEFAULT '',
    people_consented BOOLEAN NOT NULL DEFAULT FALSE,
    -- Who is asked for it: a speaker, a volunteer's e-mail, or the organizers (both null).
    owner_speaker_id TEXT REFERENCES speakers(id) ON DELETE SET NULL,
    owner_email TEXT,
    uploaded_by TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    received_at TIMESTAMP,
    published_at TIMESTAMP,
    next_reminder_at TIMESTAMP,
    reminders_sent INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX materials_stop ON materials(stop_id, kind);
CREATE INDEX materials_item ON materials(agenda_item_id);
CREATE INDEX materials_reminders ON materials(status, next_reminder_at);
