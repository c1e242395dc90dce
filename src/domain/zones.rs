//! Time zones as organizers choose them: the canonical "Region/City" zones of the tz
//! database, grouped by region, without the legacy names ("PRC", "Cuba", "US/Pacific",
//! "Asia/Calcutta") that are only aliases of them; and the zone of a city where the name
//! says it.

use chrono_tz::{TZ_VARIANTS, Tz};

/// The regions of the tz database's "Region/City" names, in the order a list shows them.
pub const REGIONS: [&str; 10] = [
    "Asia",
    "Europe",
    "America",
    "Africa",
    "Australia",
    "Pacific",
    "Indian",
    "Atlantic",
    "Antarctica",
    "Arctic",
];

/// Region/City names that the tz database keeps only for backward compatibility: older
/// spellings and renamed or merged places (its `backward` file, less the links that still
/// name a country's own zone, like Europe/Stockholm).
const LEGACY: [&str; 71] = [
    "Africa/Asmera",
    "Africa/Timbuktu",
    "America/Argentina/ComodRivadavia",
    "America/Atka",
    "America/Buenos_Aires",
    "America/Catamarca",
    "America/Coral_Harbour",
    "America/Cordoba",
    "America/Ensenada",
    "America/Fort_Wayne",
    "America/Godthab",
    "America/Indianapolis",
    "America/Jujuy",
    "America/Knox_IN",
    "America/Louisville",
    "America/Mendoza",
    "America/Montreal",
    "America/Nipigon",
    "America/Pangnirtung",
    "America/Porto_Acre",
    "America/Rainy_River",
    "America/Rosario",
    "America/Santa_Isabel",
    "America/Shiprock",
    "America/Thunder_Bay",
    "America/Virgin",
    "America/Yellowknife",
    "Antarctica/South_Pole",
    "Asia/Ashkhabad",
    "Asia/Calcutta",
    "Asia/Choibalsan",
    "Asia/Chongqing",
    "Asia/Chungking",
    "Asia/Dacca",
    "Asia/Harbin",
    "Asia/Istanbul",
    "Asia/Kashgar",
    "Asia/Katmandu",
    "Asia/Macao",
    "Asia/Rangoon",
    "Asia/Saigon",
    "Asia/Tel_Aviv",
    "Asia/Thimbu",
    "Asia/Ujung_Pandang",
    "Asia/Ulan_Bator",
    "Atlantic/Faeroe",
    "Atlantic/Jan_Mayen",
    "Australia/ACT",
    "Australia/Canberra",
    "Australia/Currie",
    "Australia/LHI",
    "Australia/NSW",
    "Australia/North",
    "Australia/Queensland",
    "Australia/South",
    "Australia/Tasmania",
    "Australia/Victoria",
    "Australia/West",
    "Australia/Yancowinna",
    "Europe/Belfast",
    "Europe/Kiev",
    "Europe/Nicosia",
    "Europe/Tiraspol",
    "Europe/Uzhgorod",
    "Europe/Zaporozhye",
    "Pacific/Enderbury",
    "Pacific/Johnston",
    "Pacific/Ponape",
    "Pacific/Samoa",
    "Pacific/Truk",
    "Pacific/Yap",
];

/// Whether `name` is a zone an organizer should be offered: Region/City, not a legacy alias.
pub fn is_canonical(name: &str) -> bool {
    name.split_once('/')
        .is_some_and(|(region, _)| REGIONS.contains(&region))
        && !LEGACY.contains(&name)
}

/// The zones offered, by region (in `REGIONS` order), each region's zones by name; UTC last.
pub fn grouped() -> Vec<(&'static str, Vec<Tz>)> {
    let mut groups: Vec<(&'static str, Vec<Tz>)> =
        REGIONS.iter().map(|r| (*r, Vec::new())).collect();
    for tz in TZ_VARIANTS.iter().filter(|tz| is_canonical(tz.name())) {
        let region = tz.name().split('/').next().unwrap_or_default();
        if let Some((_, zones)) = groups.iter_mut().find(|(r, _)| *r == region) {
            zones.push(*tz);
        }
    }
    for (_, zones) in &mut groups {
        zones.sort_by_key(|tz| tz.name());
    }
    groups.retain(|(_, zones)| !zones.is_empty());
    groups.push(("UTC", vec![Tz::UTC]));
    groups
}

/// "America/Argentina/Buenos_Aires" → "Argentina / Buenos Aires": the zone without its region.
pub fn place(tz: Tz) -> String {
    let name = tz.name();
    let rest = name.split_once('/').map_or(name, |(_, rest)| rest);
    rest.replace('_', " ").replace('/', " / ")
}

/// Cities whose name does not say their zone: mainland China's are all on Beijing time
/// (Asia/Shanghai), and a Chinese name names no zone.
const CITIES: [(&str, &str); 40] = [
    ("北京", "Asia/Shanghai"),
    ("上海", "Asia/Shanghai"),
    ("广州", "Asia/Shanghai"),
    ("深圳", "Asia/Shanghai"),
    ("成都", "Asia/Shanghai"),
    ("杭州", "Asia/Shanghai"),
    ("南京", "Asia/Shanghai"),
    ("武汉", "Asia/Shanghai"),
    ("西安", "Asia/Shanghai"),
    ("重庆", "Asia/Shanghai"),
    ("天津", "Asia/Shanghai"),
    ("苏州", "Asia/Shanghai"),
    ("长沙", "Asia/Shanghai"),
    ("郑州", "Asia/Shanghai"),
    ("青岛", "Asia/Shanghai"),
    ("大连", "Asia/Shanghai"),
    ("厦门", "Asia/Shanghai"),
    ("沈阳", "Asia/Shanghai"),
    ("哈尔滨", "Asia/Shanghai"),
    ("昆明", "Asia/Shanghai"),
    ("beijing", "Asia/Shanghai"),
    ("guangzhou", "Asia/Shanghai"),
    ("shenzhen", "Asia/Shanghai"),
    ("chengdu", "Asia/Shanghai"),
    ("hangzhou", "Asia/Shanghai"),
    ("nanjing", "Asia/Shanghai"),
    ("wuhan", "Asia/Shanghai"),
    ("xi'an", "Asia/Shanghai"),
    ("xian", "Asia/Shanghai"),
    ("chongqing", "Asia/Shanghai"),
    ("tianjin", "Asia/Shanghai"),
    ("suzhou", "Asia/Shanghai"),
    ("香港", "Asia/Hong_Kong"),
    ("澳门", "Asia/Macau"),
    ("台北", "Asia/Taipei"),
    ("东京", "Asia/Tokyo"),
    ("首尔", "Asia/Seoul"),
    ("新加坡", "Asia/Singapore"),
    ("伦敦", "Europe/London"),
    ("柏林", "Europe/Berlin"),
];

/// The zone of a city, where its name says it: a zone's own city ("Berlin", "New York",
/// "sao paulo") or a city of `CITIES`; otherwise none (the form keeps its default).
pub fn for_city(city: &str) -> Option<Tz> {
    let city = city.trim().trim_end_matches('市').trim();
    if city.is_empty() {
        return None;
    }
    let key = city.to_lowercase();
    if let Some((_, zone)) = CITIES.iter().find(|(c, _)| *c == key) {
        return zone.parse().ok();
    }
    let wanted = key.replace(' ', "_");
    TZ_VARIANTS
        .iter()
        .filter(|tz| is_canonical(tz.name()))
        .find(|tz| {
            tz.name()
                .rsplit('/')
                .next()
                .is_some_and(|c| c.to_lowercase() == wanted)
        })
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_aliases_are_not_offered() {
        let offered: Vec<&str> = grouped()
            .iter()
            .flat_map(|(_, zones)| zones.iter().map(|tz| tz.name()))
            .collect();
        for legacy in [
            "PRC",
            "Cuba",
            "US/Pacific",
            "Asia/Calcutta",
            "Asia/Chongqing",
            "Etc/GMT+3",
            "Europe/Kiev",
        ] {
            assert!(!offered.contains(&legacy), "{legacy}");
        }
        for canonical in [
            "Asia/Shanghai",
            "Europe/Berlin",
            "Europe/Stockholm",
            "America/Argentina/Buenos_Aires",
            "Asia/Kolkata",
            "Europe/Kyiv",
            "UTC",
        ] {
            assert!(offered.contains(&canonical), "{canonical}");
        }
        assert!(offered.len() < 450, "{} zones", offered.len());
        assert!(
            LEGACY.iter().all(|name| name.parse::<Tz>().is_ok()),
            "every legacy name is one of the database"
        );
    }

    #[test]
    fn a_zone_is_found_from_its_city_in_either_language() {
        for (city, zone) in [
            ("北京", "Asia/Shanghai"),
            ("北京市", "Asia/Shanghai"),
            ("Shenzhen", "Asia/Shanghai"),
            ("Berlin", "Europe/Berlin"),
            ("new york", "America/New_York"),
            ("Buenos Aires", "America/Argentina/Buenos_Aires"),
            ("香港", "Asia/Hong_Kong"),
        ] {
            assert_eq!(for_city(city).map(|tz| tz.name()), Some(zone), "{city}");
        }
        assert_eq!(for_city("Atlantis"), None);
        assert_eq!(for_city(""), None);
    }

    #[test]
    fn places_read_without_underscores() {
        assert_eq!(
            place(Tz::America__Argentina__Buenos_Aires),
            "Argentina / Buenos Aires"
        );
        assert_eq!(place(Tz::UTC), "UTC");
    }
}
