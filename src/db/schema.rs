//! The tables, in portable types only (see `migrations/README.md`).

diesel::table! {
    organizers (id) {
        id -> Text,
        email -> Text,
        name -> Text,
        password_hash -> Nullable<Text>,
        is_admin -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Text,
        organizer_id -> Text,
        token_hash -> Text,
        label -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        expires_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        organizer_id -> Nullable<Text>,
        user_agent -> Text,
        created_at -> Timestamp,
        last_seen_at -> Timestamp,
        expires_at -> Timestamp,
    }
}

diesel::table! {
    magic_links (id) {
        id -> Text,
        purpose -> Text,
        email -> Text,
        subject_id -> Nullable<Text>,
        token_hash -> Text,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tours (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        contact_email -> Nullable<Text>,
        status -> Text,
        prior_show_rate -> Double,
        cfp_opens_at -> Nullable<Timestamp>,
        cfp_closes_at -> Nullable<Timestamp>,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        report_published_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    tour_members (tour_id, organizer_id) {
        tour_id -> Text,
        organizer_id -> Text,
        role -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    tour_member_stops (tour_id, organizer_id, stop_id) {
        tour_id -> Text,
        organizer_id -> Text,
        stop_id -> Text,
    }
}

diesel::table! {
    venues (id) {
        id -> Text,
        name -> Text,
        city -> Text,
        address -> Text,
        directions -> Text,
        capacity -> Integer,
        kind -> Text,
        cost -> Text,
        cost_note -> Text,
        contact -> Text,
        weekday_only -> Bool,
        id_check_required -> Bool,
        caveats -> Text,
        created_by -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        copied_from -> Nullable<Text>,
    }
}

diesel::table! {
    stops (id) {
        id -> Text,
        tour_id -> Text,
        city -> Text,
        starts_at -> Timestamp,
        ends_at -> Timestamp,
        timezone -> Text,
        venue_id -> Text,
        capacity_override -> Nullable<Integer>,
        show_rate_override -> Nullable<Double>,
        livestream_url -> Nullable<Text>,
        online_viewers -> Nullable<Integer>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        calendar_sequence -> Integer,
        agenda_published_at -> Nullable<Timestamp>,
        notice -> Nullable<Text>,
    }
}

diesel::table! {
    stop_backups (stop_id, venue_id) {
        stop_id -> Text,
        venue_id -> Text,
        rank -> Integer,
    }
}

diesel::table! {
    supporters (id) {
        id -> Text,
        stop_id -> Text,
        name -> Text,
        contribution -> Text,
        position -> Integer,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_tokens -> organizers (organizer_id));
diesel::joinable!(sessions -> organizers (organizer_id));
diesel::joinable!(tour_members -> organizers (organizer_id));
diesel::joinable!(tour_members -> tours (tour_id));
diesel::joinable!(stops -> tours (tour_id));
diesel::joinable!(stops -> venues (venue_id));
diesel::joinable!(stop_backups -> stops (stop_id));
diesel::joinable!(stop_backups -> venues (venue_id));
diesel::joinable!(supporters -> stops (stop_id));

diesel::table! {
    outbox (id) {
        id -> Text,
        kind -> Text,
        to_email -> Text,
        to_name -> Text,
        reply_to -> Nullable<Text>,
        subject -> Text,
        body_text -> Text,
        body_html -> Text,
        attachments -> Text,
        message_id -> Text,
        tour_id -> Nullable<Text>,
        stop_id -> Nullable<Text>,
        batch_id -> Nullable<Text>,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    registrations (id) {
        id -> Text,
        stop_id -> Text,
        name -> Text,
        email -> Text,
        affiliation -> Text,
        legal_name -> Text,
        wants_to_volunteer -> Bool,
        status -> Text,
        code -> Text,
        manage_token_hash -> Text,
        lang -> Text,
        walk_in -> Bool,
        checked_in_at -> Nullable<Timestamp>,
        still_coming -> Nullable<Text>,
        confirmed_at -> Nullable<Timestamp>,
        cancelled_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        manage_link_version -> Integer,
    }
}

diesel::table! {
    stop_counters (stop_id) {
        stop_id -> Text,
        confirmed -> Integer,
        waitlisted -> Integer,
        cancelled -> Integer,
        checked_in -> Integer,
        still_coming_yes -> Integer,
    }
}

diesel::table! {
    venue_switches (id) {
        id -> Text,
        stop_id -> Text,
        from_venue_id -> Text,
        to_venue_id -> Text,
        reason -> Text,
        switched_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    stop_jobs (stop_id, job) {
        stop_id -> Text,
        job -> Text,
        done_at -> Timestamp,
    }
}

diesel::table! {
    desk_helpers (stop_id, email) {
        stop_id -> Text,
        email -> Text,
        name -> Text,
        added_by -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(registrations -> stops (stop_id));
diesel::joinable!(stop_counters -> stops (stop_id));

diesel::table! {
    speakers (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        affiliation -> Text,
        bio -> Text,
        lang -> Text,
        feed_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    talks (id) {
        id -> Text,
        title -> Text,
        #[sql_name = "abstract"]
        abstract_ -> Text,
        duration_minutes -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    talk_speakers (talk_id, speaker_id) {
        talk_id -> Text,
        speaker_id -> Text,
        position -> Integer,
        accepted_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    proposals (id) {
        id -> Text,
        tour_id -> Text,
        talk_id -> Text,
        submitted_by -> Nullable<Text>,
        status -> Text,
        decision_message -> Text,
        created_at -> Timestamp,
        decided_at -> Nullable<Timestamp>,
        confirmed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    proposal_stops (proposal_id, stop_id) {
        proposal_id -> Text,
        stop_id -> Text,
    }
}

diesel::table! {
    agenda_items (id) {
        id -> Text,
        stop_id -> Text,
        talk_id -> Nullable<Text>,
        kind -> Text,
        title -> Text,
        starts_at -> Timestamp,
        duration_minutes -> Integer,
        confirmed_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    agenda_changes (id) {
        id -> Text,
        stop_id -> Text,
        title -> Text,
        change -> Text,
        old_starts_at -> Nullable<Timestamp>,
        new_starts_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    materials (id) {
        id -> Text,
        stop_id -> Text,
        agenda_item_id -> Nullable<Text>,
        kind -> Text,
        status -> Text,
        title -> Text,
        storage_key -> Nullable<Text>,
        file_name -> Nullable<Text>,
        content_type -> Nullable<Text>,
        size_bytes -> Nullable<BigInt>,
        link_url -> Nullable<Text>,
        body -> Text,
        licence -> Text,
        people_consented -> Bool,
        owner_speaker_id -> Nullable<Text>,
        owner_email -> Nullable<Text>,
        uploaded_by -> Text,
        created_at -> Timestamp,
        received_at -> Nullable<Timestamp>,
        published_at -> Nullable<Timestamp>,
        next_reminder_at -> Nullable<Timestamp>,
        reminders_sent -> Integer,
    }
}

diesel::joinable!(talk_speakers -> talks (talk_id));
diesel::joinable!(talk_speakers -> speakers (speaker_id));
diesel::joinable!(proposals -> talks (talk_id));
diesel::joinable!(proposals -> tours (tour_id));
diesel::joinable!(proposal_stops -> proposals (proposal_id));
diesel::joinable!(agenda_items -> stops (stop_id));
diesel::joinable!(agenda_items -> talks (talk_id));
diesel::joinable!(materials -> stops (stop_id));
diesel::joinable!(materials -> agenda_items (agenda_item_id));

diesel::table! {
    tasks (id) {
        id -> Text,
        stop_id -> Text,
        kind -> Text,
        title -> Text,
        description -> Text,
        starts_at -> Nullable<Timestamp>,
        ends_at -> Nullable<Timestamp>,
        slots -> Integer,
        claimed -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    volunteers (id) {
        id -> Text,
        name -> Text,
        email -> Text,
        lang -> Text,
        feed_token_hash -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    claims (id) {
        id -> Text,
        task_id -> Text,
        volunteer_id -> Text,
        status -> Text,
        assigned_by -> Nullable<Text>,
        showed_up -> Nullable<Bool>,
        created_at -> Timestamp,
        released_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(tasks -> stops (stop_id));
diesel::joinable!(claims -> tasks (task_id));
diesel::joinable!(claims -> volunteers (volunteer_id));

diesel::table! {
    cache_versions (key) {
        key -> Text,
        version -> BigInt,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    sign_in_failures (email, client) {
        email -> Text,
        client -> Text,
        failures -> Integer,
        last_failure_at -> Timestamp,
        locked_until -> Nullable<Timestamp>,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    organizers,
    api_tokens,
    sessions,
    magic_links,
    tours,
    tour_members,
    tour_member_stops,
    venues,
    stops,
    stop_backups,
    supporters,
    outbox,
    registrations,
    stop_counters,
    venue_switches,
    stop_jobs,
    desk_helpers,
    speakers,
    talks,
    talk_speakers,
    proposals,
    proposal_stops,
    agenda_items,
    agenda_changes,
    materials,
    tasks,
    volunteers,
    claims,
    cache_versions,
    sign_in_failures,
);

diesel::table! {
    /// Organizer content in another language (see `models::translation`).
    translations (subject_kind, subject_id, field, lang) {
        subject_kind -> Text,
        subject_id -> Text,
        field -> Text,
        lang -> Text,
        text -> Text,
        updated_at -> Timestamp,
    }
}
