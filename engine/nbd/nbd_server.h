// NbdServer: a local image or disk exported over NBD, the standard network
// block protocol, by qemu-nbd running as this process's child.
//
// A home-made server would have to get right what qemu-nbd already does
// (the protocol's options and structured replies, TLS, QEMU's image locks,
// flush and zero requests), so the engine only starts it with the options a
// disk tool needs, checks that it listens, and stops it. Each server has a
// private directory (0700) for what it should not share: its TLS key file
// and its log; it is removed when the server stops.
#pragma once

#include "base/logging.h"
#include "base/result.h"

#include <sys/types.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace engine {

/// Where a server listens.
struct NbdListen
{
    enum class Kind { Unix, Tcp };
    Kind kind = Kind::Unix;
    std::string socketPath; ///< Unix
    std::string host;       ///< Tcp: a name or address; "::" or "0.0.0.0" for all
    std::uint16_t port = 10809;
};

/// "unix:PATH" or "tcp:HOST:PORT" ("tcp:[ADDR]:PORT" for an IPv6 address;
/// the port may be left out: 10809, NBD's own). The error says what is wrong.
Result<NbdListen> parseNbdListen(std::string_view text);

/// The URI a client connects with: nbd+unix:///NAME?socket=PATH,
/// nbd://HOST:PORT/NAME, nbds:// with TLS (libnbd's and QEMU's form).
std::string nbdUri(const NbdListen& listen, const std::string& exportName, bool tls);

struct NbdServeOptions
{
    std::string path; ///< image file or block device
    bool readOnly = true;
    NbdListen listen;
    std::string exportName; ///< empty: the default export
    /// TLS with pre-shared keys: a file of "username:hexkey" lines (the
    /// format of GnuTLS's psktool). Empty: no TLS.
    std::string tlsPskFile;
    /// The image's format, as qemu names it: the export is its virtual disk.
    std::string format = "raw";
    /// Also export qemu:allocation-depth (which layer of a backing chain
    /// holds each extent), for copying a qcow2's top layer alone.
    bool allocationDepth = false;
    /// Writes are compressed (qcow2 only): each cluster can be written once.
    bool compress = false;
    /// A unix socket in the server's private directory, for this process
    /// alone (listen is then ignored).
    bool privateSocket = false;
};

class NbdServer
{
public:
    /// Starts the server and returns once it accepts connections, or fails
    /// with what qemu-nbd said about the path (or that it did not listen
    /// within @p readyTimeout); the caller says what the path was for.
    /// Checks the PSK file's form before starting.
    static Result<std::unique_ptr<NbdServer>>
    start(const NbdServeOptions& options, Logger log = {},
          std::chrono::milliseconds readyTimeout = std::chrono::seconds(10));
    /// Stops the server (stop()).
    ~NbdServer();
    NbdServer(const NbdServer&) = delete;
    NbdServer& operator=(const NbdServer&) = delete;

    std::string uri() const;
    pid_t pid() const { return m_pid; }
    /// True once the server has ended by itself; exitMessage() then says how.
    bool exited();
    std::string exitMessage() const { return m_exitMessage; }
    /// The last thing qemu-nbd said (its log), without its prefix.
    std::string logTail() const;
    /// Ends the server (SIGTERM, SIGKILL after 5 s) and removes its private
    /// directory and a unix socket it left.
    void stop();

private:
    NbdServer() = default;
    void reap(int status);

    NbdServeOptions m_options;
    std::string m_privateDir;
    pid_t m_pid = -1;
    bool m_running = false;
    std::string m_exitMessage;
    Logger m_log;
};

} // namespace engine
