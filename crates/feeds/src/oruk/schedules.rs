//! Schedules: 3.0 `schedules` and 1.0 regular and holiday schedules as a timetable, and what cannot be one as words.

use super::*;

/// Most holiday dates a service can add: a year of closures is already "closed"; anything
/// longer is a publishing mistake that would bloat the listing.
pub(super) const MAX_EXCEPTIONS: usize = 366;

/// The timetable from every schedule that belongs to the service, plus notes for the ones
/// Signpost cannot hold as weekly sessions (monthly, fortnightly, times only in words).
pub(super) fn read_schedules(
    service: &Value,
    sals: &[&Value],
    locations: &[&Value],
) -> (Schedule, Vec<String>) {
    const RULES: &[&str] = &["schedules", "regular_schedules"];
    let mut rules: Vec<&Value> = items(service, RULES).collect();
    for sal in sals {
        rules.extend(items(sal, RULES));
    }
    if rules.is_empty() {
        // A location's schedule is the building's opening hours, not the service's: use it
        // only when the service gives no times of its own.
        for location in locations {
            rules.extend(items(location, RULES));
        }
    }
    let mut schedule = Schedule::default();
    let mut notes: Vec<String> = Vec::new();
    let mut seen_ids: Vec<String> = Vec::new();
    for rule in rules {
        // The same schedule is often repeated on the service, its service_at_location and
        // its location.
        if let Some(id) = id_text(rule.get("id")) {
            if seen_ids.contains(&id) {
                continue;
            }
            seen_ids.push(id);
        }
        match read_rule(rule) {
            Rule::Weekly(sessions) => {
                for s in sessions {
                    if !schedule.weekly.contains(&s) {
                        schedule.weekly.push(s);
                    }
                }
            }
            Rule::Note(note) => {
                if !note.is_empty() && !notes.contains(&note) {
                    notes.push(note);
                }
            }
        }
    }
    let mut holidays: Vec<&Value> = items(service, &["holiday_schedules"]).collect();
    for sal in sals {
        holidays.extend(items(sal, &["holiday_schedules"]));
    }
    'holidays: for h in holidays {
        let closed = match h.get("closed") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => {
                matches!(s.trim().to_ascii_lowercase().as_str(), "true" | "yes" | "1")
            }
            Some(Value::Number(n)) => n.as_f64() == Some(1.0),
            _ => false,
        };
        let Some(start) = date_at(h, "start_date") else {
            continue;
        };
        if !closed {
            // Different opening hours on holiday dates: Signpost cannot say "open, but at
            // other times" (an exception date removes dated sessions too), so it is left out.
            continue;
        }
        let end = date_at(h, "end_date").unwrap_or(start);
        let mut date = start;
        while date <= end {
            if schedule.exceptions.len() >= MAX_EXCEPTIONS {
                break 'holidays;
            }
            if !schedule.exceptions.contains(&date) {
                schedule.exceptions.push(date);
            }
            match date.succ_opt() {
                Some(next) => date = next,
                None => break,
            }
        }
    }
    schedule.exceptions.sort();
    (schedule, notes)
}

pub(super) enum Rule {
    Weekly(Vec<WeeklySession>),
    /// Not a weekly timetable: the words that describe it, for the join notes.
    Note(String),
}

/// One schedule (3.0 `schedule` or 1.0 `regular_schedule`). Weekly with interval 1 becomes a
/// session on each day; anything else (monthly "2MO", fortnightly, no times) becomes a note.
pub(super) fn read_rule(rule: &Value) -> Rule {
    let description = str_at(rule, "description")
        .map(text::plain)
        .filter(|d| !d.is_empty());
    let freq = str_at(rule, "freq")
        .map(|f| f.trim().to_ascii_uppercase())
        .unwrap_or_default();
    let interval = number_at(rule, "interval").unwrap_or(1.0);
    let byday: Vec<String> = str_at(rule, "byday")
        .unwrap_or_default()
        .split(',')
        .map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    // "2MO", "-1FR": the nth weekday of a month, which only a monthly rule can mean.
    let ordinal = byday
        .iter()
        .any(|t| t.starts_with(|c: char| c.is_ascii_digit() || c == '-' || c == '+'));
    let opens = str_at(rule, "opens_at").and_then(time_of_day);
    let closes = str_at(rule, "closes_at").and_then(time_of_day);
    let note = || {
        Rule::Note(
            description
                .clone()
                .unwrap_or_else(|| describe_rule(&freq, interval, &byday, opens, closes)),
        )
    };
    // A 1.0 row with a weekday and no rule is weekly.
    let weekly = freq.is_empty() || freq == "WEEKLY";
    if !weekly || interval != 1.0 || ordinal {
        return note();
    }
    let mut days: Vec<Weekday> = Vec::new();
    for token in &byday {
        if let Some(day) = parse_ical_weekday(token)
            && !days.contains(&day)
        {
            days.push(day);
        }
    }
    if let Some(day) = rule.get("weekday").and_then(weekday_value)
        && !days.contains(&day)
    {
        days.push(day);
    }
    let (Some(start), Some(end)) = (opens, closes) else {
        return note();
    };
    if days.is_empty() {
        return note();
    }
    let from = date_at(rule, "valid_from");
    let to = date_at(rule, "valid_to").or_else(|| date_at(rule, "until"));
    let mut sessions = Vec::new();
    for day in days {
        match WeeklySession::new(day, start, end, TermPattern::AllYear, from, to) {
            Ok(s) => sessions.push(s),
            // Zero-length sessions or inverted dates: keep the words instead.
            Err(_) => return note(),
        }
    }
    Rule::Weekly(sessions)
}

/// A readable line for a rule with no description of its own: "Monthly: 2nd Monday,
/// 10:00-12:00".
pub(super) fn describe_rule(
    freq: &str,
    interval: f64,
    byday: &[String],
    opens: Option<SessionTime>,
    closes: Option<SessionTime>,
) -> String {
    let every = match freq {
        "MONTHLY" if interval == 1.0 => "Monthly".to_owned(),
        "MONTHLY" => format!("Every {interval} months"),
        "WEEKLY" | "" if interval == 2.0 => "Fortnightly".to_owned(),
        "WEEKLY" | "" if interval != 1.0 => format!("Every {interval} weeks"),
        "DAILY" => "Daily".to_owned(),
        _ => "Weekly".to_owned(),
    };
    let days: Vec<String> = byday.iter().filter_map(|t| describe_day(t)).collect();
    let mut out = every;
    if !days.is_empty() {
        out.push_str(&format!(": {}", days.join(", ")));
    }
    if let (Some(a), Some(b)) = (opens, closes) {
        out.push_str(&format!(", {a}-{b}"));
    }
    out
}

pub(super) fn describe_day(token: &str) -> Option<String> {
    let split = token
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(token.len());
    let (n, day) = token.split_at(split);
    let name = signpost_model::weekday_title(parse_ical_weekday(day)?);
    let nth = match n.trim_start_matches('+') {
        "" => return Some(name.to_owned()),
        "1" => "1st",
        "2" => "2nd",
        "3" => "3rd",
        "4" => "4th",
        "5" => "5th",
        "-1" => "last",
        "-2" => "second to last",
        other => return Some(format!("{other} {name}")),
    };
    Some(format!("{nth} {name}"))
}

/// A 1.0 `weekday`: a name ("Monday") or a number. Numbers follow ISO 8601 (1 = Monday,
/// 7 = Sunday); 0 is read as Sunday, as servers counting from Sunday write it.
pub(super) fn weekday_value(v: &Value) -> Option<Weekday> {
    let n = match v {
        Value::String(s) => match parse_weekday(s) {
            Ok(day) => return Some(day),
            Err(_) => s.trim().parse::<u8>().ok()?,
        },
        Value::Number(n) => u8::try_from(n.as_u64()?).ok()?,
        _ => return None,
    };
    Some(match n {
        0 | 7 => Weekday::Sun,
        1 => Weekday::Mon,
        2 => Weekday::Tue,
        3 => Weekday::Wed,
        4 => Weekday::Thu,
        5 => Weekday::Fri,
        6 => Weekday::Sat,
        _ => return None,
    })
}

/// A time of day: "18:30", "18:30:00", "0930", possibly with "Z" or an offset, or inside a
/// full date-time.
///
/// The suffix is dropped and the time read as Europe/London wall-clock time. A UTC offset on a
/// bare time of day cannot be converted honestly: "09:00Z" means 09:00 in winter and 10:00 in
/// summer in London, and the schema gives no date to decide. In practice UK publishers write
/// their local opening time and add the suffix because the schema asks for one, so converting
/// would move every summer session by an hour.
pub(super) fn time_of_day(s: &str) -> Option<SessionTime> {
    let mut s = s.trim();
    if let Some((_, time)) = s.split_once(['T', 't']) {
        s = time;
    }
    s = s.trim_end_matches(['Z', 'z']);
    // An offset starts with + or - after the time itself ("10:00+01:00", "10:00:00-0500").
    if let Some(i) = s.rfind(['+', '-'])
        && i >= 4
    {
        s = &s[..i];
    }
    let s = s.trim();
    let time = ["%H:%M:%S%.f", "%H:%M:%S", "%H:%M", "%H%M"]
        .iter()
        .find_map(|f| NaiveTime::parse_from_str(s, f).ok())?;
    Some(SessionTime::hm(time.hour(), time.minute()))
}
