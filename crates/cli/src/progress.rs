//! Renders [`Progress`] reports as one terminal progress bar (hidden when stderr is not a terminal).

use indicatif::{ProgressBar, ProgressStyle};
use std::sync::Mutex;
use tripsmith_model::Progress;

/// A progress bar that follows the current stage of the work.
pub struct Bar {
    bar: ProgressBar,
    stage: Mutex<String>,
}

impl Bar {
    /// A bar on stderr, or a silent one when `quiet`.
    pub fn new(quiet: bool) -> Self {
        let bar = if quiet { ProgressBar::hidden() } else { ProgressBar::new(0) };
        let style = ProgressStyle::with_template("{spinner} {msg:>18} [{bar:30}] {percent:>3}% {elapsed}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        bar.set_style(style);
        Self { bar, stage: Mutex::new(String::new()) }
    }

    /// Whether nothing is drawn (`--quiet`, or stderr is not a terminal).
    pub fn is_hidden(&self) -> bool {
        self.bar.is_hidden()
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn update(&self, stage: &str, done: u64, total: u64) {
        if let Ok(mut current) = self.stage.lock() {
            if *current != stage {
                *current = stage.to_string();
                self.bar.set_message(stage.to_string());
                self.bar.set_position(0);
            }
        }
        self.bar.set_length(total.max(1));
        self.bar.set_position(done);
    }
}
