//! The UnsatChristmas sandbox (`unsat/unsat_christmas/`): weekly flights between ten world
//! cities with a price per weekday, airline, times and a non-stop flag (`flights/all.csv`), and
//! attractions with categories (`attractions/attractions.csv`). Its trips have neither
//! accommodations nor restaurants: the cost is the flights' for the party. Also the checker of
//! plans in this sandbox, which reads a plan only through its submission format.

use crate::database::SkippedRow;
use crate::evaluate::{attractions, day_cities, leg, place, Leg};
use crate::instance::{check_shape, Constraint, FlightOption, Instance, InstanceError, Sight};
use crate::query::{DayRecord, Flight, Query};
use crate::requirement::Requirement as R;
use crate::unsat::csv_items;
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use tripsmith_planner::{Money, Violation};

/// One weekly flight.
#[derive(Debug, Clone, PartialEq)]
pub struct WeeklyFlight {
    /// The number plans use for it (`XF` and its line in the file).
    pub number: String,
    /// From.
    pub origin: String,
    /// To.
    pub destination: String,
    /// Price per person by weekday, Sunday first (`None`: does not fly that day).
    pub prices: [Option<Money>; 7],
    /// The airline.
    pub airline: String,
    /// Departure, `HH:MM`.
    pub departure: String,
    /// Arrival, `HH:MM`.
    pub arrival: String,
    /// Whether it is non-stop.
    pub non_stop: bool,
}

/// The sandbox.
#[derive(Debug, Clone, Default)]
pub struct ChristmasData {
    /// The flights.
    pub flights: Vec<WeeklyFlight>,
    /// Attractions by city.
    pub sights: BTreeMap<String, Vec<Sight>>,
}

/// 0 = Sunday for a `YYYY-MM-DD` date.
pub fn weekday(date: &str) -> Option<usize> {
    let mut parts = date.trim().splitn(3, '-').map(|p| p.parse::<i64>().ok());
    let (y, m, d) = (parts.next()??, parts.next()??, parts.next()??);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    // Days since 1970-01-01 (a Thursday), by the civil-from-days inverse.
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some((days + 4).rem_euclid(7) as usize)
}

impl ChristmasData {
    /// Loads `flights/all.csv` and `attractions/attractions.csv` under `dir`.
    pub fn load(dir: &Path) -> Result<(Self, Vec<SkippedRow>), String> {
        let (flights, mut skipped) = csv_items(&dir.join("flights").join("all.csv"), |get, line| {
            let text = |name: &str| get(name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            let need = |name: &str| text(name).ok_or(format!("{name} is empty"));
            let mut prices = [None; 7];
            for (i, day) in ["Sun", "Mon", "Tu", "Wed", "Thu", "Fri", "Sat"].iter().enumerate() {
                prices[i] = match text(day) {
                    Some(p) => {
                        Some(p.parse::<Money>().ok().filter(|p| p.cents() >= 0).ok_or(format!("{day}: price {p:?}"))?)
                    }
                    None => None,
                };
            }
            let time = need("Time")?;
            let (departure, arrival) = time.split_once('-').ok_or(format!("Time {time:?} is not HH:MM-HH:MM"))?;
            Ok(WeeklyFlight {
                number: format!("XF{line:04}"),
                origin: need("Origin")?,
                destination: need("Destination")?,
                prices,
                airline: need("Airline")?,
                departure: departure.trim().to_string(),
                arrival: arrival.trim().to_string(),
                non_stop: need("non-stop")?.eq_ignore_ascii_case("yes"),
            })
        })?;
        let (rows, more) = csv_items(&dir.join("attractions").join("attractions.csv"), |get, _| {
            let text = |name: &str| get(name).map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
            Ok((
                text("city").ok_or("city is empty")?,
                Sight { name: text("name").ok_or("name is empty")?, category: text("category") },
            ))
        })?;
        skipped.extend(more);
        let mut sights: BTreeMap<String, Vec<Sight>> = BTreeMap::new();
        for (city, s) in rows {
            let list = sights.entry(city).or_default();
            if !list.iter().any(|x| x.name == s.name) {
                list.push(s);
            }
        }
        Ok((Self { flights, sights }, skipped))
    }

    /// Every city with attractions or flights.
    pub fn cities(&self) -> BTreeSet<String> {
        let mut out: BTreeSet<String> = self.sights.keys().cloned().collect();
        out.extend(self.flights.iter().flat_map(|f| [f.origin.clone(), f.destination.clone()]));
        out
    }

    /// The instance of a query: its listed cities in any order, the flights on each day of the
    /// trip at that weekday's price.
    pub fn instance(&self, q: &Query) -> Result<Instance, InstanceError> {
        check_shape(q)?;
        let cities = self.cities();
        let unknown = q.destinations.iter().chain([&q.org]).find(|c| !cities.contains(*c));
        if q.destinations.is_empty() || unknown.is_some() {
            return Err(InstanceError::UnknownDestination { id: q.id.clone(), dest: q.dest.clone() });
        }
        if q.destinations.len() != q.visiting_city_number as usize {
            return Err(InstanceError::Shape {
                id: q.id.clone(),
                reason: format!("{} cities listed, {} to visit", q.destinations.len(), q.visiting_city_number),
            });
        }
        let places: BTreeSet<&String> = q.destinations.iter().chain([&q.org]).collect();
        let mut flights = Vec::new();
        for (day, date) in q.dates.iter().enumerate() {
            let Some(wd) = weekday(date) else {
                return Err(InstanceError::Shape { id: q.id.clone(), reason: format!("date {date:?}") });
            };
            for f in self.flights.iter().filter(|f| places.contains(&f.origin) && places.contains(&f.destination)) {
                if let Some(price) = f.prices[wd] {
                    flights.push(FlightOption {
                        flight: Flight {
                            number: f.number.clone(),
                            price,
                            origin: f.origin.clone(),
                            destination: f.destination.clone(),
                            date: date.clone(),
                            departure: f.departure.clone(),
                            arrival: f.arrival.clone(),
                        },
                        day,
                        non_stop: f.non_stop,
                        airline: Some(f.airline.clone()),
                    });
                }
            }
        }
        let sights =
            q.destinations.iter().map(|c| (c.clone(), self.sights.get(c).cloned().unwrap_or_default())).collect();
        Ok(Instance {
            query: q.clone(),
            org: q.org.clone(),
            days: q.days as usize,
            people: q.people,
            candidates: q.destinations.clone(),
            visits: q.destinations.len(),
            flights,
            drives: HashMap::new(),
            stays: false,
            accommodations: BTreeMap::new(),
            restaurants: BTreeMap::new(),
            sights,
            constraints: Constraint::of_query(q),
        })
    }

    /// Checks a plan against the query in this sandbox: a closed route from the origin through
    /// each listed city once, a flight of this sandbox on every travel day (right cities, flying
    /// that weekday), non-stop and airline rules, the requested attraction categories visited,
    /// and the flights' cost for the party within the budget. The first requirement broken is
    /// returned.
    pub fn check(&self, q: &Query, plan: &[DayRecord]) -> Result<(), Violation<R>> {
        if plan.len() != q.days as usize {
            return Err(Violation::new(
                R::CompleteInformation,
                format!("{} day(s) planned for a {}-day trip", plan.len(), q.days),
            ));
        }
        let mut route: Vec<&str> = Vec::new();
        for day in plan {
            for c in day_cities(&day.current_city) {
                if route.last() != Some(&c) {
                    route.push(c);
                }
            }
        }
        if route.first() != Some(&q.org.as_str()) || route.last() != Some(&q.org.as_str()) {
            return Err(Violation::new(
                R::ReasonableCityRoute,
                format!("the route {route:?} is not a loop from {}", q.org),
            ));
        }
        let inner: Vec<&str> = route[1..route.len() - 1].to_vec();
        let listed: BTreeSet<&str> = q.destinations.iter().map(String::as_str).collect();
        if inner.len() != listed.len()
            || inner.iter().collect::<BTreeSet<_>>().len() != inner.len()
            || !inner.iter().all(|c| listed.contains(c))
        {
            return Err(Violation::new(
                R::ReasonableCityRoute,
                format!("the route {route:?} does not visit each of {listed:?} once"),
            ));
        }
        let by_number: HashMap<&str, &WeeklyFlight> = self.flights.iter().map(|f| (f.number.as_str(), f)).collect();
        let mut cost = Money(0);
        for (day, date) in plan.iter().zip(&q.dates) {
            let travel = day.current_city.trim().starts_with("from ");
            let parsed = leg(&day.transportation);
            let (number, from, to) = match (travel, parsed) {
                (false, None) => continue,
                (_, Some(Ok(Leg::Flight { number, from, to }))) => (number, from, to),
                _ => {
                    let detail = format!("day {}: {:?} is not a flight of this sandbox", day.days, day.transportation);
                    return Err(Violation::new(R::WithinSandbox, detail));
                }
            };
            let f = by_number
                .get(number)
                .ok_or_else(|| Violation::new(R::WithinSandbox, format!("day {}: no flight {number}", day.days)))?;
            if f.origin != from || f.destination != to || !day_cities(&day.current_city).contains(&to) {
                let detail = format!("day {}: flight {number} goes from {} to {}", day.days, f.origin, f.destination);
                return Err(Violation::new(R::WithinSandbox, detail));
            }
            let price = weekday(date)
                .and_then(|w| f.prices[w])
                .ok_or_else(|| Violation::new(R::WithinSandbox, format!("flight {number} does not fly on {date}")))?;
            if q.local.flight_rule.as_deref().is_some_and(|r| r.eq_ignore_ascii_case("non-stop")) && !f.non_stop {
                return Err(Violation::new(R::NonStop, format!("flight {number} is not non-stop")));
            }
            if !q.local.airlines.is_empty() && !q.local.airlines.iter().any(|a| a.eq_ignore_ascii_case(&f.airline)) {
                return Err(Violation::new(R::Airlines, format!("flight {number} is by {}", f.airline)));
            }
            cost += price.times(i64::from(q.people));
        }
        let visited: BTreeSet<String> = plan
            .iter()
            .flat_map(|d| attractions(&d.attraction))
            .filter_map(place)
            .filter_map(|(name, city)| self.sights.get(city)?.iter().find(|s| s.name == name))
            .filter_map(|s| s.category.as_ref().map(|c| c.to_lowercase()))
            .collect();
        if let Some(missing) = q.local.attraction_category.iter().find(|c| !visited.contains(&c.trim().to_lowercase()))
        {
            return Err(Violation::new(
                R::AttractionCategory,
                format!("no attraction of category {missing:?} visited"),
            ));
        }
        if cost > q.budget {
            return Err(Violation::new(
                R::Budget,
                format!("the flights cost {}, over the budget of {}", cost.short(), q.budget.short()),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::weekday;

    #[test]
    fn weekdays_of_known_dates() {
        assert_eq!(weekday("2023-12-25"), Some(1)); // a Monday
        assert_eq!(weekday("2023-12-24"), Some(0));
        assert_eq!(weekday("2022-03-16"), Some(3));
        assert_eq!(weekday("2000-02-29"), Some(2));
        assert_eq!(weekday("1970-01-01"), Some(4));
        assert_eq!(weekday("2023-13-01"), None);
        assert_eq!(weekday("yesterday"), None);
    }
}
