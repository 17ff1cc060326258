//! Geographic coordinates in WGS84 degrees.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Mean Earth radius in metres, as used for haversine distances.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A WGS84 position: latitude and longitude in degrees (lat first, as people write it).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LatLon {
    /// Latitude in degrees, −90..=90.
    pub lat: f64,
    /// Longitude in degrees, −180..=180.
    pub lon: f64,
}

/// Why a coordinate could not be built or parsed.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LatLonParseError {
    /// The text is not of the form `LAT,LON`.
    #[error("expected LAT,LON (two comma-separated numbers), got {0:?}")]
    Format(String),
    /// A latitude outside −90..=90 or a longitude outside −180..=180, or not finite.
    #[error("coordinate out of range: lat {lat}, lon {lon} (lat must be in -90..=90, lon in -180..=180)")]
    OutOfRange {
        /// The latitude given.
        lat: f64,
        /// The longitude given.
        lon: f64,
    },
}

impl LatLon {
    /// Builds a checked coordinate.
    pub fn new(lat: f64, lon: f64) -> Result<Self, LatLonParseError> {
        if lat.is_finite() && lon.is_finite() && (-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon) {
            Ok(Self { lat, lon })
        } else {
            Err(LatLonParseError::OutOfRange { lat, lon })
        }
    }

    /// Great-circle (haversine) distance to `other` in metres.
    pub fn haversine_m(self, other: LatLon) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }

    /// The `[lon, lat]` pair used by GeoJSON and OSRM-style APIs.
    pub fn to_lon_lat(self) -> [f64; 2] {
        [self.lon, self.lat]
    }
}

impl fmt::Display for LatLon {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.7},{:.7}", self.lat, self.lon)
    }
}

impl FromStr for LatLon {
    type Err = LatLonParseError;

    /// Parses `LAT,LON` (spaces allowed around the numbers).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split(',');
        let (Some(a), Some(b), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(LatLonParseError::Format(s.to_string()));
        };
        let lat: f64 = a.trim().parse().map_err(|_| LatLonParseError::Format(s.to_string()))?;
        let lon: f64 = b.trim().parse().map_err(|_| LatLonParseError::Format(s.to_string()))?;
        LatLon::new(lat, lon)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distance() {
        // Monaco Palace to Monte-Carlo Casino: about 1.6 km apart.
        let palace = LatLon::new(43.7314, 7.4197).unwrap();
        let casino = LatLon::new(43.7393, 7.4277).unwrap();
        let d = palace.haversine_m(casino);
        assert!((1000.0..1200.0).contains(&d), "{d}");
        // One degree of latitude is about 111.2 km.
        let d = LatLon::new(0.0, 0.0).unwrap().haversine_m(LatLon::new(1.0, 0.0).unwrap());
        assert!((d - 111_195.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn parses_and_rejects() {
        let p: LatLon = " 43.7, 7.42 ".parse().unwrap();
        assert_eq!(p, LatLon { lat: 43.7, lon: 7.42 });
        assert!(matches!("43.7".parse::<LatLon>(), Err(LatLonParseError::Format(_))));
        assert!(matches!("1,2,3".parse::<LatLon>(), Err(LatLonParseError::Format(_))));
        assert!(matches!("x,2".parse::<LatLon>(), Err(LatLonParseError::Format(_))));
        assert!(matches!("91,2".parse::<LatLon>(), Err(LatLonParseError::OutOfRange { .. })));
        assert!(matches!("NaN,2".parse::<LatLon>(), Err(LatLonParseError::OutOfRange { .. })));
    }
}
