use crate::domain::text_enum;

text_enum!(
    /// What kind of place it is: each has its typical caveats (see the 2012 report).
    VenueKind {
        CompanyOffice => "company_office",
        Cafe => "cafe",
        University => "university",
        SoftwarePark => "software_park",
        Coworking => "coworking",
        Other => "other",
    }
);

text_enum!(
    /// Who pays: `shared` is the split-the-bill scheme (the 2012 Shenzhen café).
    CostKind {
        Free => "free",
        Paid => "paid",
        Shared => "shared",
    }
);

/// The largest room we accept; more is a typo.
pub const MAX_CAPACITY: i64 = 100_000;
