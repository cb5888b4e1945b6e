#include "nbd/nbd_server.h"

#include "base/child_process.h"

#include <fcntl.h>
#include <netdb.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

namespace engine {

namespace {

constexpr std::string_view kUnixPrefix = "unix:";
constexpr std::string_view kTcpPrefix = "tcp:";
constexpr auto kStopGrace = std::chrono::seconds(5);
constexpr auto kPoll = std::chrono::milliseconds(20);

Error badListen(std::string_view text, const std::string& why)
{
    return Error{EINVAL, "--listen " + std::string(text) + ": " + why};
}

bool isWildcard(const std::string& host)
{
    return host == "0.0.0.0" || host == "::" || host.empty();
}

// A PSK file qemu-nbd would refuse only once a client connects: its form is
// checked before anything starts.
Result<void> checkPskFile(const std::string& path)
{
    std::ifstream in(path);
    if (!in)
        return systemError(errno ? errno : ENOENT, "open " + path);
    std::string line;
    int n = 0, keys = 0;
    while (std::getline(in, line)) {
        ++n;
        if (line.empty())
            continue;
        const auto colon = line.find(':');
        const std::string key = colon == std::string::npos ? "" : line.substr(colon + 1);
        bool hex = !key.empty() && key.size() % 2 == 0;
        for (char c : key)
            hex = hex && std::isxdigit(static_cast<unsigned char>(c));
        if (colon == 0 || !hex)
            return Error{EINVAL, path + ": line " + std::to_string(n) +
                                     " is not USERNAME:HEXKEY (as psktool writes it)"};
        ++keys;
    }
    if (keys == 0)
        return Error{EINVAL,
                     path + ": no key in it (USERNAME:HEXKEY lines, as psktool writes them)"};
    return {};
}

bool unixSocketAccepts(const std::string& path)
{
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    path.copy(addr.sun_path, sizeof addr.sun_path - 1);
    const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    ::close(fd);
    return ok;
}

// QEMU removes whatever is at a unix socket's path before it listens: only
// a socket nobody listens on may be replaced.
Result<void> checkSocketPath(const std::string& path)
{
    struct stat st
    {
    };
    if (::lstat(path.c_str(), &st) != 0)
        return errno == ENOENT ? Result<void>{} : systemError(errno, path);
    if (!S_ISSOCK(st.st_mode))
        return Error{EEXIST, path + " exists and is no socket: it is not replaced"};
    if (unixSocketAccepts(path))
        return Error{EADDRINUSE, path + ": another server listens there"};
    return {};
}

bool canConnect(const NbdListen& listen)
{
    if (listen.kind == NbdListen::Kind::Unix)
        return unixSocketAccepts(listen.socketPath);
    std::string host = listen.host;
    if (host == "0.0.0.0" || host.empty())
        host = "127.0.0.1";
    else if (host == "::")
        host = "::1";
    addrinfo hints{};
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    if (::getaddrinfo(host.c_str(), std::to_string(listen.port).c_str(), &hints, &found) != 0)
        return false;
    bool ok = false;
    for (addrinfo* a = found; a && !ok; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0)
            continue;
        ok = ::connect(fd, a->ai_addr, a->ai_addrlen) == 0;
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return ok;
}

bool onPath(const std::string& program)
{
    const char* path = std::getenv("PATH");
    std::istringstream dirs(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(dirs, dir, ':'))
        if (!dir.empty() && ::access((dir + "/" + program).c_str(), X_OK) == 0)
            return true;
    return false;
}

std::string statusText(int status)
{
    if (WIFEXITED(status))
        return "qemu-nbd exited with status " + std::to_string(WEXITSTATUS(status));
    if (WIFSIGNALED(status))
        return "qemu-nbd was ended by signal " + std::to_string(WTERMSIG(status));
    return "qemu-nbd ended";
}

} // namespace

Result<NbdListen> parseNbdListen(std::string_view text)
{
    NbdListen l;
    if (text.substr(0, kUnixPrefix.size()) == kUnixPrefix) {
        l.kind = NbdListen::Kind::Unix;
        std::string path(text.substr(kUnixPrefix.size()));
        if (path.empty())
            return badListen(text, "a socket path is needed after unix:");
        std::error_code ec;
        path = std::filesystem::absolute(path, ec).lexically_normal().string();
        if (path.size() >= sizeof(sockaddr_un::sun_path))
            return badListen(text, "the socket path is longer than the " +
                                       std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                       " bytes a unix socket may have");
        l.socketPath = path;
        return l;
    }
    if (text.substr(0, kTcpPrefix.size()) != kTcpPrefix)
        return badListen(text, "neither unix:PATH nor tcp:HOST:PORT");
    l.kind = NbdListen::Kind::Tcp;
    std::string_view rest = text.substr(kTcpPrefix.size());
    std::string_view port;
    if (!rest.empty() && rest.front() == '[') {
        const auto close = rest.find(']');
        if (close == std::string_view::npos)
            return badListen(text, "an IPv6 address needs its closing ]");
        l.host = std::string(rest.substr(1, close - 1));
        rest = rest.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':')
                return badListen(text, "a port follows the address after a colon");
            port = rest.substr(1);
        }
    } else {
        const auto colon = rest.rfind(':');
        if (colon != std::string_view::npos && rest.find(':') != colon)
            return badListen(text, "write an IPv6 address in brackets: tcp:[ADDRESS]:PORT");
        l.host = std::string(rest.substr(0, colon));
        if (colon != std::string_view::npos)
            port = rest.substr(colon + 1);
    }
    if (l.host.empty())
        return badListen(text, "a host or address is needed (0.0.0.0 for every IPv4 one)");
    if (!port.empty()) {
        unsigned value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value == 0 || value > 65535)
            return badListen(text, "the port must be a number from 1 to 65535");
        l.port = static_cast<std::uint16_t>(value);
    }
    return l;
}

std::string nbdUri(const NbdListen& listen, const std::string& exportName, bool tls)
{
    if (listen.kind == NbdListen::Kind::Unix)
        return std::string(tls ? "nbds+unix" : "nbd+unix") + ":///" + exportName +
               "?socket=" + listen.socketPath;
    std::string host = listen.host;
    if (isWildcard(host)) {
        // A client elsewhere reaches this machine by its name.
        char name[256] = {};
        host = ::gethostname(name, sizeof name - 1) == 0 && name[0] ? name : "localhost";
    }
    if (host.find(':') != std::string::npos)
        host = "[" + host + "]";
    return std::string(tls ? "nbds" : "nbd") + "://" + host + ":" + std::to_string(listen.port) +
           "/" + exportName;
}

Result<std::unique_ptr<NbdServer>> NbdServer::start(const NbdServeOptions& options, Logger log,
                                                    std::chrono::milliseconds readyTimeout)
{
    const bool tls = !options.tlsPskFile.empty();
    if (tls)
        if (auto r = checkPskFile(options.tlsPskFile); !r)
            return r.error();
    if (options.listen.kind == NbdListen::Kind::Unix && !options.privateSocket)
        if (auto r = checkSocketPath(options.listen.socketPath); !r)
            return r.error();

    std::unique_ptr<NbdServer> s(new NbdServer);
    s->m_options = options;
    s->m_log = orNull(std::move(log));
    std::error_code ec;
    std::string dir =
        (std::filesystem::temp_directory_path(ec) / "drivemirror-nbd-XXXXXX").string();
    if (ec || !::mkdtemp(dir.data()))
        return systemError(errno, "make a private directory for the server");
    s->m_privateDir = dir;

    if (!onPath("qemu-nbd"))
        return Error{ENOENT, "qemu-nbd is not installed (Debian: apt install qemu-utils)"};
    // setpriv ends the server with this process, even one killed with
    // SIGKILL: a disk must not stay exported by an orphan.
    if (s->m_options.privateSocket) {
        s->m_options.listen.kind = NbdListen::Kind::Unix;
        s->m_options.listen.socketPath = dir + "/image.sock";
    }
    const NbdListen& listen = s->m_options.listen;
    std::vector<std::string> args{"setpriv", "--pdeathsig", "TERM", "--", "qemu-nbd",
                                  "--persistent",
                                  // Any number of clients: a fleet pulls at once.
                                  "--shared=0"};
    if (!options.compress)
        args.push_back("--format=" + options.format);
    if (options.allocationDepth)
        args.emplace_back("--allocation-depth");
    if (options.readOnly)
        args.emplace_back("--read-only");
    else
        args.emplace_back("--discard=unmap"); // a client's trim frees space, as ours do
    args.push_back("--export-name=" + options.exportName);
    if (listen.kind == NbdListen::Kind::Unix) {
        args.push_back("--socket=" + listen.socketPath);
    } else {
        args.push_back("--bind=" + listen.host);
        args.push_back("--port=" + std::to_string(listen.port));
    }
    if (tls) {
        // qemu-nbd reads keys.psk from a directory: a private copy.
        std::filesystem::copy_file(options.tlsPskFile, dir + "/keys.psk", ec);
        if (ec)
            return Error{ec.value(), "copy " + options.tlsPskFile + ": " + ec.message()};
        ::chmod((dir + "/keys.psk").c_str(), 0600);
        args.push_back("--object=tls-creds-psk,id=tls0,endpoint=server,dir=" + dir);
        args.emplace_back("--tls-creds=tls0");
    }
    if (options.compress) {
        // QEMU's compress filter over the qcow2; a comma in an option
        // value is written twice.
        std::string path;
        for (char c : options.path)
            path += c == ',' ? std::string(",,") : std::string(1, c);
        args.emplace_back("--image-opts");
        args.push_back("driver=compress,file.driver=" + options.format +
                       ",file.file.driver=file,file.file.filename=" + path);
    } else {
        args.push_back(options.path);
    }

    const std::string logPath = dir + "/qemu-nbd.log";
    const int logFd = ::open(logPath.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (logFd < 0)
        return systemError(errno, "open " + logPath);
    auto pid = spawnChild(args, logFd, logFd, true);
    ::close(logFd);
    if (!pid)
        return pid.error();
    s->m_pid = *pid;
    s->m_running = true;

    const auto deadline = std::chrono::steady_clock::now() + readyTimeout;
    for (;;) {
        if (s->exited()) {
            std::string why = s->logTail();
            return Error{EIO, options.path + ": " + (why.empty() ? s->m_exitMessage : why)};
        }
        if (canConnect(listen))
            break;
        if (std::chrono::steady_clock::now() >= deadline) {
            s->stop();
            return Error{ETIMEDOUT, options.path + ": qemu-nbd did not listen within " +
                                        std::to_string(readyTimeout.count()) + " ms"};
        }
        std::this_thread::sleep_for(kPoll);
    }
    s->m_log->info("qemu-nbd (pid {}) serves {} at {}", s->m_pid, options.path, s->uri());
    return s;
}

NbdServer::~NbdServer()
{
    stop();
}

std::string NbdServer::uri() const
{
    return nbdUri(m_options.listen, m_options.exportName, !m_options.tlsPskFile.empty());
}

void NbdServer::reap(int status)
{
    m_running = false;
    m_exitMessage = statusText(status);
}

bool NbdServer::exited()
{
    if (!m_running)
        return m_pid > 0;
    int status = 0;
    const pid_t r = ::waitpid(m_pid, &status, WNOHANG);
    if (r == m_pid) {
        reap(status);
        return true;
    }
    return false;
}

std::string NbdServer::logTail() const
{
    std::ifstream in(m_privateDir + "/qemu-nbd.log");
    std::string line, last;
    // The last line that says something; qemu-nbd's own prefix goes.
    while (std::getline(in, line))
        if (!line.empty())
            last = line;
    if (last.rfind("qemu-nbd: ", 0) == 0)
        last = last.substr(10);
    return last;
}

void NbdServer::stop()
{
    if (m_running) {
        ::kill(m_pid, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + kStopGrace;
        while (!exited()) {
            if (std::chrono::steady_clock::now() >= deadline) {
                ::kill(m_pid, SIGKILL);
                int status = 0;
                while (::waitpid(m_pid, &status, 0) < 0 && errno == EINTR) {
                }
                reap(status);
                break;
            }
            std::this_thread::sleep_for(kPoll);
        }
    }
    if (m_options.listen.kind == NbdListen::Kind::Unix && m_pid > 0) {
        struct stat st
        {
        };
        if (::lstat(m_options.listen.socketPath.c_str(), &st) == 0 && S_ISSOCK(st.st_mode))
            ::unlink(m_options.listen.socketPath.c_str());
    }
    if (!m_privateDir.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(m_privateDir, ec);
        m_privateDir.clear();
    }
}

} // namespace engine
