//! The problem the engine solves: a rich orienteering problem with time windows.
//!
//! Routes (an itinerary's days) start and end at a depot or nowhere in particular, inside a
//! time window. Stops are optional and worth a value; each may start only inside one of its
//! windows on each route (none: not on that route) and takes its duration. Stops that share a
//! place exclude one another (a place is used once). A route caps its visits (stops without a
//! slot) and its visits of one group (variety), its distance and its longest leg. Slotted stops
//! (meals) fill the slots a route requires, exactly one stop per slot, and may fill its optional
//! slots (a break, taken where the route is: a stop without a location). Requirements (must-visit
//! places, a cuisine some meal must serve) are lists of stops of which at least one is used.
//! A budget caps the summed cost of the stops used. Variety has diminishing returns: each visit
//! of a group after the first on one route costs that group's repeat penalty.

/// Travel minutes or metres of a leg that does not exist.
pub const UNREACHABLE: i64 = i64::MAX / 8;

/// One stop that a route may make.
#[derive(Debug, Clone, PartialEq)]
pub struct Stop {
    /// Its location (an index of the travel matrices), or `None` for a stop taken wherever the
    /// route is (a break): no travel to or from it, the leg around it runs from the stop
    /// before it to the stop after it.
    pub location: Option<usize>,
    /// Its place: stops of one place exclude one another.
    pub place: usize,
    /// How long it takes.
    pub duration: i64,
    /// What it is worth (0 for slotted stops such as meals).
    pub value: i64,
    /// What it costs (against the budget).
    pub cost: i64,
    /// Its variety group (a category); only visits count against a route's group cap.
    pub group: usize,
    /// The slot it fills (a meal kind), or `None` for a visit.
    pub slot: Option<usize>,
    /// Per route: the intervals its start must lie in, sorted and disjoint (empty: not on that route).
    pub windows: Vec<Vec<(i64, i64)>>,
}

/// One route (an itinerary's day).
#[derive(Debug, Clone, PartialEq)]
pub struct RouteSpec {
    /// Where it starts (`None`: at its first stop, with no travel before it).
    pub start: Option<usize>,
    /// Where it ends (`None`: at its last stop).
    pub end: Option<usize>,
    /// When it may leave its start.
    pub open: i64,
    /// When it must be back at its end (or, without an end, have finished its last stop).
    pub close: i64,
    /// Most visits (stops without a slot).
    pub max_visits: usize,
    /// Most visits of one group.
    pub group_cap: usize,
    /// Most metres in all.
    pub max_metres: Option<i64>,
    /// Most metres of one leg.
    pub max_leg_metres: Option<i64>,
    /// The slots it must fill, each exactly once.
    pub slots: Vec<usize>,
    /// Slots it may fill, at most once each (a break): the stop's value counts when filled, and
    /// an empty one is not unmet.
    pub optional_slots: Vec<usize>,
    /// Which layer of the travel matrices it travels by (a day's mode of travel).
    pub layer: usize,
}

impl RouteSpec {
    /// A route from `start` to `end` between `open` and `close`, without caps, limits or slots
    /// (set the fields a problem needs on top of it).
    pub fn between(start: Option<usize>, end: Option<usize>, open: i64, close: i64) -> RouteSpec {
        RouteSpec {
            start,
            end,
            open,
            close,
            max_visits: usize::MAX,
            group_cap: usize::MAX,
            max_metres: None,
            max_leg_metres: None,
            slots: Vec::new(),
            optional_slots: Vec::new(),
            layer: 0,
        }
    }
}

/// A problem for the engine.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Number of locations.
    pub locations: usize,
    /// Row-major travel minutes between locations ([`UNREACHABLE`] when there is no leg), one
    /// locations × locations layer after another (a route travels by its [`RouteSpec::layer`]).
    pub minutes: Vec<i64>,
    /// Row-major travel metres between locations ([`UNREACHABLE`] when there is no leg), in the
    /// same layers.
    pub metres: Vec<i64>,
    /// The stops.
    pub stops: Vec<Stop>,
    /// The routes.
    pub routes: Vec<RouteSpec>,
    /// Lists of stops of which at least one must be used.
    pub requirements: Vec<Vec<usize>>,
    /// Most summed cost of the stops used.
    pub budget: Option<i64>,
    /// Per group, what each visit of it after the first on one route takes off the value
    /// (missing groups: nothing).
    pub repeat_penalty: Vec<i64>,
}

/// A problem the engine cannot take.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemError {
    /// A matrix does not have locations × locations entries for each layer the routes use (or
    /// the two matrices differ in size).
    #[error("the {which} matrix has {found} entries, not {expected}")]
    Matrix {
        /// Which matrix.
        which: &'static str,
        /// Entries found.
        found: usize,
        /// Entries expected.
        expected: usize,
    },
    /// A stop or depot names a location outside the matrices.
    #[error("{what} names location {location}, but there are {locations}")]
    Location {
        /// The stop or depot.
        what: String,
        /// Its location.
        location: usize,
        /// How many there are.
        locations: usize,
    },
    /// A stop does not give windows for every route.
    #[error("stop {stop} has windows for {found} routes, not {expected}")]
    Windows {
        /// The stop.
        stop: usize,
        /// Routes it gives windows for.
        found: usize,
        /// Routes there are.
        expected: usize,
    },
    /// A requirement names a stop that does not exist.
    #[error("requirement {requirement} names stop {stop}, but there are {stops}")]
    Requirement {
        /// The requirement.
        requirement: usize,
        /// The stop.
        stop: usize,
        /// How many there are.
        stops: usize,
    },
}

impl Problem {
    /// What each visit of `group` after the first on one route takes off the value.
    pub fn repeat_penalty(&self, group: usize) -> i64 {
        self.repeat_penalty.get(group).copied().unwrap_or(0)
    }

    /// Travel minutes from location `a` to `b` in `layer` (`None` for a depot that is nowhere: 0).
    pub fn minutes(&self, layer: usize, a: Option<usize>, b: Option<usize>) -> i64 {
        self.cell(&self.minutes, layer, a, b)
    }

    /// Travel metres from location `a` to `b` in `layer` (`None` for a depot that is nowhere: 0).
    pub fn metres(&self, layer: usize, a: Option<usize>, b: Option<usize>) -> i64 {
        self.cell(&self.metres, layer, a, b)
    }

    /// The entry of `matrix` for the leg `a` → `b` in `layer`.
    fn cell(&self, matrix: &[i64], layer: usize, a: Option<usize>, b: Option<usize>) -> i64 {
        match (a, b) {
            (Some(a), Some(b)) => matrix[(layer * self.locations + a) * self.locations + b],
            _ => 0,
        }
    }

    /// How many travel layers the routes use.
    pub fn layers(&self) -> usize {
        self.routes.iter().map(|r| r.layer + 1).max().unwrap_or(1)
    }

    /// Checks the sizes and indices.
    pub fn validate(&self) -> Result<(), ProblemError> {
        // Whole layers, as many as the routes use at least (a layer no route uses may be there).
        let layer = self.locations * self.locations;
        let n = self.layers() * layer;
        for (which, m) in [("minutes", &self.minutes), ("metres", &self.metres)] {
            if m.len() < n || m.len() % layer.max(1) != 0 || m.len() != self.minutes.len() {
                return Err(ProblemError::Matrix { which, found: m.len(), expected: n });
            }
        }
        let bad = |what: String, location: usize| ProblemError::Location { what, location, locations: self.locations };
        for (i, s) in self.stops.iter().enumerate() {
            if let Some(location) = s.location.filter(|&l| l >= self.locations) {
                return Err(bad(format!("stop {i}"), location));
            }
            if s.windows.len() != self.routes.len() {
                return Err(ProblemError::Windows { stop: i, found: s.windows.len(), expected: self.routes.len() });
            }
        }
        for (k, r) in self.routes.iter().enumerate() {
            for depot in [r.start, r.end].into_iter().flatten() {
                if depot >= self.locations {
                    return Err(bad(format!("route {k}'s depot"), depot));
                }
            }
        }
        for (requirement, list) in self.requirements.iter().enumerate() {
            if let Some(&stop) = list.iter().find(|&&s| s >= self.stops.len()) {
                return Err(ProblemError::Requirement { requirement, stop, stops: self.stops.len() });
            }
        }
        Ok(())
    }
}
