//! Helpers shared by the planner tests on the demo town.

use tripsmith_model::{Category, SeededRng};
use tripsmith_planner::TripRequest;
use tripsmith_region::Region;

/// A random request on the demo town, written as TOML like a traveller would.
pub fn random_request(rng: &mut SeededRng, region: &Region) -> TripRequest {
    let named: Vec<&str> = region
        .catalog()
        .iter()
        .filter(|p| !p.category.is_food() && p.category != Category::Lodging)
        .filter_map(|p| p.name.as_deref())
        .collect();
    let start = 8 * 60 + 30 * rng.below(18) as u32; // 08:00 .. 16:30
    let end = (start + 150 + 30 * rng.below(18) as u32).min(23 * 60);
    let mut toml = format!(
        "days = {}\nstart_date = \"2026-06-{:02}\"\nday_start = \"{:02}:{:02}\"\nday_end = \"{:02}:{:02}\"\nparty_size = {}\n",
        1 + rng.below(2),
        1 + rng.below(28),
        start / 60,
        start % 60,
        end / 60,
        end % 60,
        1 + rng.below(3)
    );
    if rng.below(2) == 0 {
        toml += &format!("budget = {}\n", 50 + 50 * rng.below(8));
    }
    if rng.below(3) > 0 {
        toml += &format!("max_places_per_day = {}\n", 1 + rng.below(4));
    }
    let visits: Vec<String> = (0..rng.below(3)).map(|_| format!("{:?}", named[rng.below(named.len())])).collect();
    let mut unique = visits.clone();
    unique.sort();
    unique.dedup();
    toml += &format!("must_visit = [{}]\n", unique.join(", "));
    toml += "[lodging]\nplace = \"Hôtel de la Gare\"\n";
    if rng.below(2) == 0 {
        toml += "[meals.lunch]\nwindow = [\"12:00\", \"14:00\"]\n";
    }
    toml += "[interests]\nmuseum = 3\npark = 2\nhistoric = 2\nviewpoint = 1\nart = 1\n";
    TripRequest::from_toml(&toml).unwrap_or_else(|e| panic!("generated a bad request: {e}\n{toml}"))
}
