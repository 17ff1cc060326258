//! Bi-level network design for tripsmith (after Madadi & Correia's discrete lane-addition
//! problem): candidate links ([`candidates`]), the problem and its exact fitness ([`design`]:
//! total system travel time at user equilibrium, warm-started), and the upper-level genetic
//! algorithm with an exhaustive reference for small candidate sets ([`ga`]), and one whole
//! search as the command line and the REST API run it ([`search`]).

pub mod candidates;
pub mod design;
pub mod ga;
pub mod search;
pub mod surrogate;
