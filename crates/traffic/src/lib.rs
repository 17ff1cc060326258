//! Traffic assignment for tripsmith: TNTP networks ([`tntp`]), BPR link costs ([`network`]),
//! shortest-path trees and all-or-nothing loading ([`paths`]), user-equilibrium algorithms
//! ([`assign`]), and convergence plots ([`plot`]).

pub mod assign;
pub mod network;
pub mod paths;
pub mod plot;
pub mod tntp;
