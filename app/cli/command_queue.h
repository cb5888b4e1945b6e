// The commands a job takes on stdin, one per line: read, checked, and carried
// out when they make sense, every line answered in the order it came.
#pragma once

#include "job/mirror_job.h"
#include "reporter.h"

#include <cstddef>
#include <deque>
#include <optional>
#include <string>

namespace cli {

/// What the commands act on: one job, or the jobs of one source's targets
/// together.
class JobControls
{
public:
    virtual ~JobControls() = default;
    virtual engine::JobStatus status() const = 0;
    virtual engine::Result<void> act(engine::JobVerb verb, std::uint64_t argument) = 0;
    /// Answers `status` (every target's, for several).
    virtual void reportStatus(const std::string& id) = 0;
};

class CommandQueue
{
public:
    /// @p immediate: --no-command-queue, nothing is held.
    CommandQueue(JobControls& job, JobReporter& reporter, bool immediate);

    /// Splits what stdin gave into lines, looking only at the new bytes; a
    /// line longer than any command is refused once and skipped to its end,
    /// so garbage costs neither memory nor time.
    void takeInput(const char* data, std::size_t n);
    /// Carries out what the job can take now; call after every event.
    void runPending();
    /// The job has ended: answers what never became possible, so that
    /// nobody waits for it.
    void answerRest();

private:
    struct Command
    {
        enum class Kind { Verb, Status, Refusal } kind = Kind::Verb;
        engine::JobVerb verb = engine::JobVerb::Complete;
        std::uint64_t argument = 0;
        std::string id;
        engine::Error refusal;
    };

    void handleLine(const std::string& line);
    // The command a line's words name; a refusal when they name none.
    std::optional<Command> parse(std::vector<std::string> words, const std::string& line);
    void execute(const Command& c);
    // Takes the front command off the queue if the job can take it now.
    bool takeFront();

    JobControls& m_job;
    JobReporter& m_reporter;
    const bool m_immediate;
    std::string m_buffer;                      // an unfinished line, at most kMaxCommandLine bytes
    bool m_discardingLine = false;             // inside a line too long to be a command
    std::optional<std::string> m_heldComplete; // the held complete's id
    std::deque<Command> m_pending;
    std::optional<engine::JobStatus> m_transitFrom; // status when pause/resume was sent
};

} // namespace cli
