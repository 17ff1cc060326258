//! The midday break ([`crate::Rest`]): free time kept in a day's schedule, the same way for every
//! backend. The stops and their order are the backend's; the break goes into the gap (before
//! the first stop, between two stops, or after the last) that needs the least delay of the stops
//! after it, each delayed stop starting inside its own start windows (opening hours, meal window,
//! the day's hours) and the day still ending in time. The break never removes a stop.

use crate::catalog::Problem;
use crate::itinerary::Chosen;
use crate::milp::{start_windows, StopOption};

/// The first start at or after `ready` inside `windows`.
fn first_start(windows: &[(i64, i64)], ready: i64) -> Option<i64> {
    windows.iter().find(|w| w.1 >= ready).map(|w| w.0.max(ready))
}

/// Fits the break of trip day `d` (0-based) into `stops` (in visiting order, from lodging
/// `base` when the travellers start there), re-timing the stops after it; returns the break's
/// start and end minute, or `None` when the request wants no break that day or no schedule of
/// these stops in this order leaves room for one.
pub(crate) fn fit(p: &Problem, d: usize, base: Option<usize>, stops: &mut [Chosen]) -> Option<(i64, i64)> {
    let r = &p.request;
    let day = d as u32 + 1;
    let (from, to, minutes) = r.rest_on(day)?;
    let (day_start, day_end) = r.day_window(day);
    let bounds = (i64::from(day_start.minutes()), i64::from(day_end.minutes()));
    let leg = |a: Option<usize>, b: Option<usize>| match (a, b) {
        (Some(a), Some(b)) => i64::from(p.travel.leg(d, a, b).map_or(0, |l| l.minutes)),
        _ => 0,
    };
    let windows: Vec<Vec<(i64, i64)>> = stops
        .iter()
        .map(|s| {
            let option = StopOption {
                candidate: s.candidate,
                category: p.candidates[s.candidate].category,
                activity: s.activity,
                minutes: s.end - s.start,
                score: 0,
                price: 0,
                wanted: false,
            };
            start_windows(p, &option, d, true, bounds)
        })
        .collect();
    let place = |k: usize| if k == 0 { base } else { Some(stops[k - 1].candidate) };
    // (delay of the later stops, break start, gap, new starts of the stops from the gap on)
    let mut best: Option<(i64, i64, usize, Vec<i64>)> = None;
    for gap in 0..=stops.len() {
        let ready = if gap == 0 { bounds.0 } else { stops[gap - 1].end };
        let start = ready.max(from);
        if start + minutes > to {
            break;
        }
        let mut free = start + minutes;
        let mut starts = Vec::new();
        let mut delay = 0;
        let mut fits = true;
        for k in gap..stops.len() {
            let s = &stops[k];
            let Some(new) = first_start(&windows[k], (free + leg(place(k), Some(s.candidate))).max(s.start)) else {
                fits = false;
                break;
            };
            delay += new - s.start;
            starts.push(new);
            free = new + (s.end - s.start);
            if new == s.start {
                break;
            }
        }
        let moved_last = gap + starts.len() == stops.len();
        let back = if r.return_to_base { leg(stops.last().map(|s| s.candidate).or(base), base) } else { 0 };
        if moved_last && free + back > bounds.1 {
            fits = false;
        }
        if fits && best.as_ref().is_none_or(|b| (delay, start) < (b.0, b.1)) {
            best = Some((delay, start, gap, starts));
        }
    }
    let (_, start, gap, starts) = best?;
    for (s, new) in stops[gap..].iter_mut().zip(starts) {
        let length = s.end - s.start;
        s.start = new;
        s.end = new + length;
    }
    Some((start, start + minutes))
}
