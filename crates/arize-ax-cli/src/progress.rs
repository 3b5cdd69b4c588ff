//! Progress on stderr, for people at a terminal: bars for bulk work,
//! spinners for long listings; nothing under `--quiet` or when stderr is
//! not a terminal.

use std::io::IsTerminal;

use crate::args::Global;

/// Whether to draw progress: stderr is a terminal and not `--quiet`.
pub(crate) fn show_progress(global: &Global) -> bool {
    !global.quiet && std::io::stderr().is_terminal()
}

/// A bar counting `total` items of `what`.
pub(crate) fn bar(global: &Global, total: usize, what: &str) -> Option<indicatif::ProgressBar> {
    show_progress(global).then(|| {
        let bar = indicatif::ProgressBar::new(total as u64);
        let template = format!("{{bar:30}} {{pos}}/{{len}} {what}");
        bar.set_style(
            indicatif::ProgressStyle::with_template(&template)
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar
    })
}

/// A bulk progress callback that moves `bar` (a no-op without one).
pub(crate) fn tick(
    bar: &Option<indicatif::ProgressBar>,
) -> impl Fn(usize, usize) + Send + Sync + 'static {
    let bar = bar.clone();
    move |done, _| {
        if let Some(bar) = &bar {
            bar.set_position(done as u64);
        }
    }
}

/// Takes the bar (or spinner) off the terminal.
pub(crate) fn finish(bar: Option<indicatif::ProgressBar>) {
    if let Some(bar) = bar {
        bar.finish_and_clear();
    }
}

/// A spinner counting the `noun` listed so far.
pub(crate) fn spinner(global: &Global, noun: &str) -> Option<indicatif::ProgressBar> {
    show_progress(global).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template(&format!("{{spinner}} {{pos}} {noun} listed"))
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    })
}
