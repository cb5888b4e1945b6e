#include "command_queue.h"

#include "base/units.h"
#include "protocol/helper_protocol.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <sstream>
#include <vector>

namespace cli {

namespace command = protocol::command;

namespace {

// No command is longer; a longer line is garbage and is skipped unread.
constexpr std::size_t kMaxCommandLine = 4096;

bool mayBecomeReady(engine::JobStatus s)
{
    return s == engine::JobStatus::Created || s == engine::JobStatus::Running ||
           s == engine::JobStatus::Paused || s == engine::JobStatus::Standby;
}

bool isIdWord(const std::string& id)
{
    return !id.empty() && id.size() <= 64 &&
           std::all_of(id.begin(), id.end(), [](unsigned char ch) {
               return std::isalnum(ch) || ch == '-' || ch == '_' || ch == '.' || ch == ':';
           });
}

} // namespace

CommandQueue::CommandQueue(JobControls& job, JobReporter& reporter, bool immediate)
    : m_job(job), m_reporter(reporter), m_immediate(immediate)
{
}

void CommandQueue::takeInput(const char* data, std::size_t n)
{
    std::size_t begin = 0;
    while (begin < n) {
        const void* hit = std::memchr(data + begin, '\n', n - begin);
        const std::size_t end =
            hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - data) : n;
        if (!m_discardingLine) {
            const std::size_t room = kMaxCommandLine - m_buffer.size();
            if (end - begin > room) {
                m_discardingLine = true;
                m_buffer.clear();
                m_reporter.lineTooLong(kMaxCommandLine);
            } else {
                m_buffer.append(data + begin, end - begin);
            }
        }
        if (!hit)
            break;
        if (!m_discardingLine)
            handleLine(m_buffer);
        m_buffer.clear();
        m_discardingLine = false;
        begin = end + 1;
    }
}

void CommandQueue::handleLine(const std::string& line)
{
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;)
        words.push_back(w);
    if (words.empty())
        return;
    if (auto c = parse(std::move(words), line)) {
        m_pending.push_back(std::move(*c));
        runPending();
    }
}

std::optional<CommandQueue::Command> CommandQueue::parse(std::vector<std::string> words,
                                                         const std::string& line)
{
    Command c;
    auto refuse = [&](engine::Error e) {
        c.kind = Command::Kind::Refusal;
        c.refusal = std::move(e);
        return c;
    };
    if (words.back().rfind(command::kIdPrefix, 0) == 0) {
        c.id = words.back().substr(command::kIdPrefix.size());
        words.pop_back();
        if (!isIdWord(c.id)) {
            c.id.clear();
            return refuse({EINVAL, "id=WORD: 1 to 64 letters, digits, '-', '_', '.' or ':'"});
        }
        if (words.empty())
            return refuse({EINVAL, "a command before id="});
    }
    std::string verb = words[0];
    const std::size_t args = words.size() - 1;
    // The command words are the protocol and stay English; so does the
    // JSON answer. Extra words are refused rather than dropped: "speed 5
    // 6" may mean something the job cannot know.
    const engine::Error extraWords{EINVAL, "too many words after '" + verb.substr(0, 64) +
                                               "': " + line.substr(0, 64)};
    if (verb == command::kStatus) {
        if (args != 0)
            return refuse(extraWords);
        c.kind = Command::Kind::Status;
    } else if (verb == command::kComplete || verb == command::kPause || verb == command::kResume) {
        if (args != 0)
            return refuse(extraWords);
        c.verb = verb == command::kComplete ? engine::JobVerb::Complete
                 : verb == command::kPause  ? engine::JobVerb::Pause
                                            : engine::JobVerb::Resume;
    } else if (verb == command::kCancel && (args == 0 || words[1] == command::kQuick)) {
        if (args > 1)
            return refuse(extraWords);
        c.verb = engine::JobVerb::Cancel;
        c.argument = args == 1 ? 1 : 0;
    } else if (verb == command::kSpeed && args >= 1) {
        if (args != 1)
            return refuse(extraWords);
        auto rate = engine::parseRate(words[1]);
        if (!rate)
            return refuse(rate.error());
        c.verb = engine::JobVerb::SetSpeed;
        c.argument = *rate;
    } else {
        // An echo of garbage stays short and printable.
        if (verb.size() > 64)
            verb = verb.substr(0, 64) + "...";
        if (auto refusal = m_reporter.unknownCommand(verb))
            return refuse(std::move(*refusal));
        return std::nullopt;
    }
    return c;
}

void CommandQueue::execute(const Command& c)
{
    if (c.kind == Command::Kind::Status)
        return m_job.reportStatus(c.id);
    if (c.kind == Command::Kind::Refusal)
        return m_reporter.reply(c.refusal, c.id);
    const engine::JobStatus before = m_job.status();
    const engine::Result<void> r = m_job.act(c.verb, c.argument);
    if (r && (c.verb == engine::JobVerb::Pause || c.verb == engine::JobVerb::Resume))
        m_transitFrom = before;
    m_reporter.reply(r, c.id);
}

// A command is carried out when it makes sense: `complete` before READY (a
// file of commands is read at once) is held until READY; a command right
// after pause or resume waits until the job has taken that one (resume from
// standby is not "ready" until the job thread says so).
void CommandQueue::runPending()
{
    const engine::JobStatus s = m_job.status();
    if (m_transitFrom && (s != *m_transitFrom || engine::isFinished(s)))
        m_transitFrom.reset();
    if (m_heldComplete && !m_transitFrom && !mayBecomeReady(s)) {
        const std::string id = *m_heldComplete;
        m_heldComplete.reset();
        execute({Command::Kind::Verb, engine::JobVerb::Complete, 0, id, {}});
    }
    while (!m_pending.empty() && (!m_transitFrom || m_immediate) && takeFront()) {
    }
}

bool CommandQueue::takeFront()
{
    const Command c = m_pending.front();
    const engine::JobStatus now = m_job.status();
    if (m_immediate) {
        // A front end with its own view of the job wants to hear at once
        // that the view is stale, not to have its click replayed.
        m_pending.pop_front();
        execute(c);
        return true;
    }
    const bool verb = c.kind == Command::Kind::Verb;
    if (verb && c.verb == engine::JobVerb::Complete && mayBecomeReady(now)) {
        m_pending.pop_front();
        if (m_heldComplete) {
            m_reporter.reply(engine::Error{EBUSY, "a complete is already waiting for READY"}, c.id);
        } else {
            m_heldComplete = c.id;
            m_reporter.completeHeld();
        }
        return true;
    }
    if (verb && c.verb == engine::JobVerb::Pause && now == engine::JobStatus::Created)
        return false; // the job thread is about to run
    m_pending.pop_front();
    execute(c);
    return true;
}

void CommandQueue::answerRest()
{
    if (m_heldComplete)
        m_reporter.reply(engine::Error{ECANCELED, "the job ended before READY: not completed"},
                         *m_heldComplete);
    for (const Command& c : m_pending) {
        if (c.kind == Command::Kind::Verb)
            m_reporter.reply(engine::Error{ECANCELED, "the job ended before this command could "
                                                      "be carried out"},
                             c.id);
        else
            execute(c);
    }
}

} // namespace cli
