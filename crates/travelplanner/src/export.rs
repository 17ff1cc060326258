//! A solver's plan in TravelPlanner's submission format: one record per day with
//! `current_city` (`from A to B` on travel days), `transportation`, the three meals, the
//! attractions (`;`-separated) and the accommodation, each place as `Name, City`, `-` for none.

use crate::database::Drive;
use crate::query::DayRecord;
use crate::solve::{Mode, Solution, Stay};
use tripsmith_planner::Money;

fn place(name: &str, city: &str) -> String {
    format!("{name}, {city}")
}

fn road(kind: &str, from: &str, to: &str, d: &Drive, cost: Money) -> String {
    format!(
        "{kind}, from {from} to {to}, duration: {} hours {} mins, distance: {:.0} km, cost: {}",
        d.minutes / 60,
        d.minutes % 60,
        d.km,
        cost.short()
    )
}

fn transportation(mode: &Mode, from: &str, to: &str) -> String {
    match mode {
        Mode::Flight(f) => format!(
            "Flight Number: {}, from {from} to {to}, Departure Time: {}, Arrival Time: {}",
            f.flight.number, f.flight.departure, f.flight.arrival
        ),
        Mode::SelfDriving(d) => road("Self-driving", from, to, d, d.self_driving_cost()),
        Mode::Taxi(d) => road("Taxi", from, to, d, d.taxi_cost()),
    }
}

fn dash() -> String {
    "-".into()
}

fn meal(stay: &Stay, i: usize) -> String {
    stay.meals.get(i).map_or_else(dash, |r| place(&r.name, &stay.city))
}

fn sights(stay: &Stay, range: std::ops::Range<usize>) -> Vec<String> {
    stay.sights.get(range).unwrap_or_default().iter().map(|s| place(&s.name, &stay.city)).collect()
}

/// The day records of a solution, `days` long.
pub fn to_day_records(solution: &Solution, days: usize) -> Vec<DayRecord> {
    let mut plan: Vec<DayRecord> = (0..days)
        .map(|t| DayRecord {
            days: t as u32 + 1,
            current_city: dash(),
            transportation: dash(),
            breakfast: dash(),
            attraction: dash(),
            lunch: dash(),
            dinner: dash(),
            accommodation: dash(),
        })
        .collect();
    let k = solution.stays.len();
    for (j, leg) in solution.legs.iter().enumerate() {
        let Some(day) = plan.get_mut(leg.day) else { continue };
        day.current_city = format!("from {} to {}", leg.from, leg.to);
        day.transportation = transportation(&leg.mode, &leg.from, &leg.to);
        let mut slots = [dash(), dash(), dash()];
        let mut attractions = Vec::new();
        if j > 0 {
            // Meals before leaving take the earliest slots.
            let stay = &solution.stays[j - 1];
            let full = 3 * (stay.nights - 1);
            for (slot, i) in (stay.arrival_meals + full..stay.meals.len()).enumerate() {
                slots[slot.min(2)] = meal(stay, i);
            }
            if stay.departure_sight {
                let start = stay.arrival_sights + stay.nights - 1;
                attractions.extend(sights(stay, start..start + 1));
            }
        }
        if j < k {
            // Meals after arriving take the latest slots.
            let stay = &solution.stays[j];
            for i in 0..stay.arrival_meals {
                slots[2 - i.min(2)] = meal(stay, stay.arrival_meals - 1 - i);
            }
            attractions.extend(sights(stay, 0..stay.arrival_sights));
            if let Some(a) = &stay.accommodation {
                day.accommodation = place(&a.name, &stay.city);
            }
        }
        let [b, l, d] = slots;
        (day.breakfast, day.lunch, day.dinner) = (b, l, d);
        if !attractions.is_empty() {
            day.attraction = attractions.join(";") + ";";
        }
    }
    for (i, stay) in solution.stays.iter().enumerate() {
        let arrival = solution.legs[i].day;
        for f in 0..stay.nights.saturating_sub(1) {
            let Some(day) = plan.get_mut(arrival + 1 + f) else { continue };
            day.current_city = stay.city.clone();
            let first = stay.arrival_meals + 3 * f;
            (day.breakfast, day.lunch, day.dinner) = (meal(stay, first), meal(stay, first + 1), meal(stay, first + 2));
            let s = sights(stay, stay.arrival_sights + f..stay.arrival_sights + f + 1);
            day.attraction = if s.is_empty() { dash() } else { s.join(";") + ";" };
            if let Some(a) = &stay.accommodation {
                day.accommodation = place(&a.name, &stay.city);
            }
        }
    }
    plan
}
