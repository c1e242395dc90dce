-- Organizers, their API tokens and one-time links.
CREATE TABLE organizers (
    id TEXT PRIMARY KEY NOT NULL,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT,
    is_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY NOT NULL,
    organizer_id TEXT NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    last_used_at TIMESTAMP
);
CREATE INDEX api_tokens_organizer ON api_tokens(organizer_id);

-- Secret links (setup, invitations, password resets, and later speakers and volunteers).
-- Only the SHA-256 of the token is stored.
CREATE TABLE magic_links (
    id TEXT PRIMARY KEY NOT NULL,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    subject_id TEXT,
    token_hash TEXT NOT NULL UNIQUE,
    expires_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE tours (
    id TEXT PRIMARY KEY NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    contact_email TEXT,
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    prior_show_rate DOUBLE PRECISION NOT NULL DEFAULT 0.5 CHECK (prior_show_rate > 0 AND prior_show_rate <= 1),
    cfp_opens_at TIMESTAMP,
    cfp_closes_at TIMESTAMP,
    created_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX tours_status ON tours(status);

CREATE TABLE tour_members (
    tour_id TEXT NOT NULL REFERENCES tours(id) ON DELETE CASCADE,
    organizer_id TEXT NOT NULL REFERENCES organizers(id) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('owner', 'organizer', 'local')),
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (tour_id, organizer_id)
);
CREATE INDEX tour_members_organizer ON tour_members(organizer_id);

CREATE TABLE venues (
    id TEXT PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    city TEXT NOT NULL,
    address TEXT NOT NULL DEFAULT '',
    directions TEXT NOT NULL DEFAULT '',
    capacity INTEGER NOT NULL CHECK (capacity >= 0),
    kind TEXT NOT NULL CHECK (kind IN ('company_office', 'cafe', 'university', 'software_park', 'coworking', 'other')),
    cost TEXT NOT NULL CHECK (cost IN ('free', 'paid', 'shared')),
    cost_note TEXT NOT NULL DEFAULT '',
    contact TEXT NOT NULL DEFAULT '',
    weekday_only BOOLEAN NOT NULL DEFAULT FALSE,
    id_check_required BOOLEAN NOT NULL DEFAULT FALSE,
    caveats TEXT NOT NULL DEFAULT '',
    created_by TEXT REFERENCES organizers(id) ON DELETE SET NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX venues_city ON venues(city);

CREATE TABLE stops (
    id TEXT PRIMARY KEY NOT NULL,
    tour_id TEXT NOT NULL REFERENCES tours(id) ON DELETE CASCADE,
    city TEXT NOT NULL,
    starts_at TIMESTAMP NOT NULL,
    ends_at TIMESTAMP NOT NULL,
    timezone TEXT NOT NULL,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    capacity_override INTEGER CHECK (capacity_override >= 0),
    show_rate_override DOUBLE PRECISION CHECK (show_rate_override > 0 AND show_rate_override <= 1),
    livestream_url TEXT,
    online_viewers INTEGER CHECK (online_viewers >= 0),
    status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'open', 'closed', 'done', 'cancelled')),
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX stops_tour_starts ON stops(tour_id, starts_at);
CREATE INDEX stops_venue ON stops(venue_id);

-- Ranked backup venues of a stop: rank 1 is the first to switch to.
CREATE TABLE stop_backups (
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    venue_id TEXT NOT NULL REFERENCES venues(id),
    rank INTEGER NOT NULL,
    PRIMARY KEY (stop_id, venue_id)
);

-- Stops whose local team a co-organizer with role 'local' is.
CREATE TABLE tour_member_stops (
    tour_id TEXT NOT NULL,
    organizer_id TEXT NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    PRIMARY KEY (tour_id, organizer_id, stop_id),
    FOREIGN KEY (tour_id, organizer_id) REFERENCES tour_members(tour_id, organizer_id) ON DELETE CASCADE
);

CREATE TABLE supporters (
    id TEXT PRIMARY KEY NOT NULL,
    stop_id TEXT NOT NULL REFERENCES stops(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    contribution TEXT NOT NULL DEFAULT '',
    position INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL
);
CREATE INDEX supporters_stop ON supporters(stop_id);
