#include "signals.h"

#include <pthread.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cstring>

namespace cli {

namespace {

// Every signal whose default is to end the process and that can be caught:
// the terminal's ^C and hang-up (a closed ssh session under sudo), kill's
// TERM, timers and resource limits, and a reader of stdout that went away.
constexpr int kCancelSignals[] = {SIGINT,  SIGTERM, SIGHUP,  SIGQUIT,   SIGUSR1, SIGUSR2,
                                  SIGALRM, SIGXCPU, SIGXFSZ, SIGVTALRM, SIGPROF, SIGPIPE};

sigset_t cancelSignals()
{
    sigset_t mask;
    sigemptyset(&mask);
    for (int sig : kCancelSignals)
        sigaddset(&mask, sig);
    return mask;
}

} // namespace

void blockCancelSignals()
{
    const sigset_t mask = cancelSignals();
    ::pthread_sigmask(SIG_BLOCK, &mask, nullptr);
}

int openCancelSignalFd()
{
    const sigset_t mask = cancelSignals();
    return ::signalfd(-1, &mask, SFD_CLOEXEC);
}

std::string readSignalName(int fd)
{
    signalfd_siginfo si{};
    [[maybe_unused]] const ssize_t n = ::read(fd, &si, sizeof si);
    const char* abbrev = ::sigabbrev_np(static_cast<int>(si.ssi_signo));
    return std::string("SIG") + (abbrev ? abbrev : "?");
}

} // namespace cli
