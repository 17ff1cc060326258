//! Circle sectors of polar angles around the depot (after HGS-CVRP): the arc a route's clients
//! span, so that SWAP* only tries routes whose arcs overlap.

/// Steps in a full turn.
pub(super) const FULL_CIRCLE: i32 = 65_536;

/// The polar angle of `(dx, dy)` in steps of a full turn.
pub(super) fn angle(dx: f64, dy: f64) -> i32 {
    let turns = dy.atan2(dx) / std::f64::consts::TAU;
    ((turns * f64::from(FULL_CIRCLE)).round() as i32).rem_euclid(FULL_CIRCLE)
}

/// An arc from `start` anticlockwise to `end`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Sector {
    start: i32,
    end: i32,
}

fn turn(steps: i32) -> i32 {
    steps.rem_euclid(FULL_CIRCLE)
}

impl Sector {
    /// The arc of one angle.
    pub(super) fn new(angle: i32) -> Self {
        Sector { start: angle, end: angle }
    }

    fn holds(&self, angle: i32) -> bool {
        turn(angle - self.start) <= turn(self.end - self.start)
    }

    /// Grows the arc to hold `angle`, on whichever side grows it less.
    pub(super) fn extend(&mut self, angle: i32) {
        if !self.holds(angle) {
            if turn(angle - self.end) <= turn(self.start - angle) {
                self.end = angle;
            } else {
                self.start = angle;
            }
        }
    }

    /// Whether two arcs overlap.
    pub(super) fn overlaps(&self, other: &Sector) -> bool {
        turn(other.start - self.start) <= turn(self.end - self.start)
            || turn(self.start - other.start) <= turn(other.end - other.start)
    }
}
