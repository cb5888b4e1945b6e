// drivemirror-cli: the headless front end (the engine, and QtCore for its
// translations and locale-aware sizes).
#pragma once

namespace cli {

/// Exit codes, documented in --help and the README.
enum ExitCode : int {
    kExitOk = 0,
    kExitInternal = 1,  ///< an unexpected failure of the program itself
    kExitBadInput = 2,  ///< bad arguments, or a refusal by a safety rule
    kExitSource = 3,    ///< the source failed (read error with policy report)
    kExitTarget = 4,    ///< the target failed (write error, flush, no space)
    kExitAborted = 5,   ///< cancelled before READY: the target is incomplete
    kExitDifferent = 6, ///< verification found differences
    /// --complete-when-ready: the source could not be quiesced for the final
    /// copy (long enough) in several tries; cancelled like a power cut.
    kExitNotCompleted = 7,
    /// Completed (or cancelled after READY), but error policy `ignore` left
    /// ranges unwritten or zeroed: the copy is not whole.
    kExitSkipped = 8,
    /// Cancelled after READY: a copy of one moment (consistent, or like a
    /// disk after a power cut), not of the source as it is at the end.
    kExitCancelledReady = 9,
    /// Completed, but the verification asked for was cancelled: the copy is
    /// whole and unchecked, which a script that asked for --verify must see.
    kExitNotVerified = 10,
    /// Several targets: some copies succeeded and some did not (each
    /// target's end event says how it ended). When none succeeded, the exit
    /// code is the first target's.
    kExitSomeTargets = 11,
    /// station: a drive was refused or failed (its audit record says why).
    kExitNotAllPassed = 12,
};

int run(int argc, char** argv);

} // namespace cli
