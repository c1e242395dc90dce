//! Every user-facing string goes through here, in English or Simplified Chinese
//! (`locales/*.yml`: `app.yml`, and a file per newer area; one entry per key with both
//! languages).

use std::borrow::Cow;
use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::ACCEPT_LANGUAGE;
use actix_web::{FromRequest, HttpRequest};

/// The cookie the language switcher sets.
pub const LANG_COOKIE: &str = "lang";

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    En,
    ZhCn,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::ZhCn];

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::ZhCn => "zh-CN",
        }
    }

    /// The language's own name, for the switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::ZhCn => "简体中文",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        if c == "en" || c.starts_with("en-") {
            Some(Lang::En)
        } else if c == "zh" || c.starts_with("zh-") {
            Some(Lang::ZhCn)
        } else {
            None
        }
    }

    /// The first supported language of an Accept-Language header, by quality.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut choices: Vec<(f32, Lang)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let lang = Lang::from_code(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|q| q.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                Some((q, lang))
            })
            .collect();
        choices.sort_by(|a, b| b.0.total_cmp(&a.0));
        choices.first().map(|(_, l)| *l)
    }

    /// The switcher's cookie, else the browser's preference, else English.
    pub fn of_request(req: &HttpRequest) -> Lang {
        if let Some(lang) = req
            .cookie(LANG_COOKIE)
            .and_then(|c| Lang::from_code(c.value()))
        {
            return lang;
        }
        req.headers()
            .get(ACCEPT_LANGUAGE)
            .and_then(|h| h.to_str().ok())
            .and_then(Lang::from_accept_language)
            .unwrap_or_default()
    }

    /// The text of `key`. A missing key shows as `??key??` so tests and reviewers notice.
    pub fn t(self, key: &str) -> Cow<'static, str> {
        match crate::_rust_i18n_try_translate(self.code(), key) {
            Some(text) => Cow::Owned(text.into_owned()),
            None => Cow::Owned(format!("??{key}??")),
        }
    }

    /// The text of `key` with `%{name}` placeholders filled. A key written with plural forms
    /// (`key.one`, `key.other`: see `tn`) takes its count from the `n` (or `count`) argument,
    /// so callers that pass a count get the right form without naming it.
    pub fn tf(self, key: &str, args: &[(&str, &str)]) -> String {
        let text = match crate::_rust_i18n_try_translate(self.code(), key) {
            Some(text) => text.into_owned(),
            None => match args
                .iter()
                .find(|(name, _)| *name == "n" || *name == "count")
                .and_then(|(_, v)| v.parse::<i64>().ok())
            {
                Some(n) => fill(
                    self.t(&self.plural_key(key, n)).into_owned(),
                    &[("n", &n.to_string())],
                ),
                None => format!("??{key}??"),
            },
        };
        fill(text, args)
    }

    /// A count in words: `key.one` when English speaks of exactly one, else `key.other`
    /// (Chinese has one form: `key.other`). `%{n}` is the count; `args` fill the rest.
    /// Every locale entry with plural forms has both keys in both languages.
    pub fn tn(self, key: &str, n: i64, args: &[(&str, &str)]) -> String {
        let count = n.to_string();
        let text = self.t(&self.plural_key(key, n)).into_owned();
        fill(fill(text, &[("n", &count)]), args)
    }

    /// The colon after a label: ": ", or the full-width "：" in Chinese text.
    pub fn colon(self) -> &'static str {
        match self {
            Lang::En => ": ",
            Lang::ZhCn => "：",
        }
    }

    /// Between the items of a list in a sentence: ", ", or the enumeration comma "、".
    pub fn list_separator(self) -> &'static str {
        match self {
            Lang::En => ", ",
            Lang::ZhCn => "、",
        }
    }

    /// An aside in brackets: " (67%)", or "（67%）" in Chinese text.
    pub fn parens(self, inner: &str) -> String {
        match self {
            Lang::En => format!(" ({inner})"),
            Lang::ZhCn => format!("（{inner}）"),
        }
    }

    /// Which plural form of `key` this language uses for `n`.
    fn plural_key(self, key: &str, n: i64) -> String {
        let form = match self {
            Lang::En if n == 1 => "one",
            Lang::En | Lang::ZhCn => "other",
        };
        format!("{key}.{form}")
    }
}

fn fill(mut text: String, args: &[(&str, &str)]) -> String {
    for (name, value) in args {
        text = text.replace(&format!("%{{{name}}}"), value);
    }
    text
}

impl FromRequest for Lang {
    type Error = actix_web::Error;
    type Future = Ready<Result<Lang, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Lang::of_request(req)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_best_supported_language() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::ZhCn)
        );
        assert_eq!(
            Lang::from_accept_language("fr;q=1, en;q=0.5, zh;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    /// Every locale file (one per area of the app, all under `locales/`), and no key twice.
    #[test]
    fn every_key_has_both_languages() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "yml"))
            .collect();
        files.sort();
        assert!(!files.is_empty());
        let mut all_keys: Vec<String> = Vec::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap();
            assert!(
                text.starts_with("_version: 2"),
                "{} must start with _version: 2",
                file.display()
            );
            let mut key: Option<&str> = None;
            let mut seen: Vec<&str> = Vec::new();
            let check = |key: Option<&str>, seen: &mut Vec<&str>| {
                if let Some(k) = key {
                    assert!(
                        seen.contains(&"en") && seen.contains(&"zh-CN"),
                        "{k} lacks a language: {seen:?}"
                    );
                }
                seen.clear();
            };
            for line in text.lines() {
                if line.trim().is_empty()
                    || line.trim_start().starts_with('#')
                    || line.starts_with("_version")
                {
                    continue;
                }
                if !line.starts_with(' ') {
                    check(key, &mut seen);
                    let k = line.trim_end_matches(':');
                    assert!(
                        !all_keys.iter().any(|seen| seen == k),
                        "{k} is defined twice ({})",
                        file.display()
                    );
                    all_keys.push(k.to_owned());
                    key = Some(k);
                } else if let Some((lang, value)) = line.trim().split_once(':') {
                    assert!(!value.trim().is_empty(), "{key:?}/{lang} is empty");
                    seen.push(lang);
                }
            }
            check(key, &mut seen);
        }
    }

    #[test]
    fn translations_fill_placeholders() {
        assert_eq!(
            Lang::En.tf("test.greeting", &[("name", "Hui")]),
            "Hello, Hui"
        );
        assert_eq!(
            Lang::ZhCn.tf("test.greeting", &[("name", "Hui")]),
            "你好，Hui"
        );
        assert_eq!(Lang::En.t("no.such.key"), "??no.such.key??");
        assert_eq!(
            Lang::En.tf("no.such.key", &[("n", "2")]),
            "??no.such.key.other??"
        );
    }

    #[test]
    fn counts_take_the_plural_form_of_their_language() {
        assert_eq!(Lang::En.tn("test.places", 1, &[]), "1 place left");
        assert_eq!(Lang::En.tn("test.places", 0, &[]), "0 places left");
        assert_eq!(Lang::En.tn("test.places", 2, &[]), "2 places left");
        assert_eq!(Lang::En.tn("test.places", -1, &[]), "-1 places left");
        assert_eq!(Lang::ZhCn.tn("test.places", 1, &[]), "还剩 1 个名额");
        assert_eq!(Lang::ZhCn.tn("test.places", 5, &[]), "还剩 5 个名额");
        assert_eq!(
            Lang::En.tn("test.places_at", 1, &[("stop", "Beijing")]),
            "1 place left at Beijing"
        );
        // A key with plural forms, asked for with `tf` and a count.
        assert_eq!(Lang::En.tf("test.places", &[("n", "1")]), "1 place left");
        assert_eq!(
            Lang::En.tf("test.places", &[("count", "3")]),
            "3 places left"
        );
        assert_eq!(Lang::ZhCn.tf("test.places", &[("n", "1")]), "还剩 1 个名额");
    }

    #[test]
    fn chinese_text_takes_full_width_punctuation() {
        assert_eq!(
            format!("签到码{}7KQ4MX", Lang::ZhCn.colon()),
            "签到码：7KQ4MX"
        );
        assert_eq!(format!("Code{}7KQ4MX", Lang::En.colon()), "Code: 7KQ4MX");
        assert_eq!(format!("710{}", Lang::ZhCn.parens("67%")), "710（67%）");
        assert_eq!(format!("710{}", Lang::En.parens("67%")), "710 (67%)");
        assert_eq!(
            ["北京", "深圳"].join(Lang::ZhCn.list_separator()),
            "北京、深圳"
        );
    }

    /// Every key with plural forms has both of them (in both languages, like every key).
    /// (`.other` alone is also the value "other" of some lists: `venue_kind.other`.)
    #[test]
    fn plural_keys_come_in_pairs() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut keys: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            if entry.path().extension().is_none_or(|x| x != "yml") {
                continue;
            }
            let text = std::fs::read_to_string(entry.path()).unwrap();
            keys.extend(
                text.lines()
                    .filter(|l| !l.starts_with(' ') && !l.starts_with('#') && l.ends_with(':'))
                    .map(|l| l.trim_end_matches(':').to_owned()),
            );
        }
        for key in &keys {
            if let Some(base) = key.strip_suffix(".one") {
                assert!(keys.contains(&format!("{base}.other")), "{base}.other");
                assert!(
                    !keys.contains(&base.to_owned()),
                    "{base} is also a plain key"
                );
            }
        }
    }
}
