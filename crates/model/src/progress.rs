//! Progress reporting from long-running work (parsing, contraction, solving).

/// Receives progress from long work. The CLI draws it as a progress bar, the API as job status.
/// Implementations must be cheap: they are called often, possibly from several threads.
pub trait Progress: Sync {
    /// `done` of `total` units of the step named `stage` are finished (`total` 0 = unknown).
    fn update(&self, stage: &str, done: u64, total: u64);
}

/// Ignores progress.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn update(&self, _stage: &str, _done: u64, _total: u64) {}
}
