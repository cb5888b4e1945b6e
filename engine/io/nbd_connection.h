// NbdConnection: a disk that is an NBD export (a qemu-nbd, nbdkit or
// `drivemirror-cli serve` on this machine or another), reached through
// libnbd, never the kernel's nbd client.
//
// Data requests are asynchronous and driven from the job's own loop: the
// connection's socket is polled through the job's io_uring (a one-shot
// POLLIN always armed, a POLLOUT while libnbd has a request it could not
// send at once), so one wait serves the disks, the wake-up eventfd and the
// network. Requests complete through reap() with the caller's tag, as ring
// requests do, so the job handles both alike. The blocking calls serve the
// setup, comparisons and verification, which run outside the copy loop.
#pragma once

#include "base/logging.h"
#include "base/result.h"
#include "bitmap/dirty_bitmap.h" // ByteRange

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct nbd_handle;

namespace engine {

class Ring;

/// True when @p text is meant as an NBD URI (nbd://, nbds://, nbd+unix://,
/// nbds+unix://): such a text is never a path.
bool isNbdUri(std::string_view text);

class NbdConnection
{
public:
    /// Connects to the export @p uri names (libnbd's URI syntax: a unix
    /// socket as ?socket=PATH, TLS-PSK as nbds://USER@.../?tls-psk-file=F).
    /// @p writable: the job will write it, so a read-only export is refused
    /// (EROFS). A server that has not finished the handshake after
    /// @p timeout is given up on (ETIMEDOUT). Errors are one line that
    /// names the URI.
    static constexpr std::chrono::seconds kConnectTimeout{30};
    /// With @p topLayer, qemu:allocation-depth is asked for too (qemu-nbd
    /// --allocation-depth), so that nextInTopLayer() can answer what the top
    /// image of a backing chain holds itself; refused (ENOTSUP) when the
    /// server does not offer it.
    static Result<std::unique_ptr<NbdConnection>>
    connect(const std::string& uri, bool writable, Logger log = {},
            std::chrono::milliseconds timeout = kConnectTimeout, bool topLayer = false);
    NbdConnection(const NbdConnection&) = delete;
    NbdConnection& operator=(const NbdConnection&) = delete;
    ~NbdConnection();

    const std::string& uri() const { return m_uri; }
    std::uint64_t size() const { return m_size; }
    bool readOnly() const { return m_readOnly; }
    bool canZero() const { return m_canZero; }
    bool canTrim() const { return m_canTrim; }
    bool canFlush() const { return m_canFlush; }
    /// The export answers which extents hold data (base:allocation).
    bool knowsAllocation() const { return m_knowsAllocation; }
    /// It answers which layer of a backing chain holds them.
    bool knowsLayers() const { return m_knowsLayers; }
    /// Smallest request the server accepts unpadded (1 when it says none).
    std::uint32_t minimumBlock() const { return m_minimumBlock; }
    /// The server's preferred request size (4096 when it says none).
    std::uint32_t preferredBlock() const { return m_preferredBlock; }

    // -- asynchronous, for the job's loop -------------------------------------

    /// Each completes once through reap(): res is the byte count of a read
    /// or write, 0 for zero and flush, or a negative errno.
    void read(void* buf, std::uint32_t length, std::uint64_t offset, std::uint64_t tag);
    void write(const void* buf, std::uint32_t length, std::uint64_t offset, std::uint64_t tag);
    /// Zeroes [offset, offset+length); with @p unmap the server may punch a
    /// hole (it still reads as zeroes).
    void zero(std::uint64_t offset, std::uint64_t length, bool unmap, std::uint64_t tag);
    void flush(std::uint64_t tag);

    /// Stages the polls the connection needs in @p ring (tagged @p inTag,
    /// @p outTag); false when the ring had no room for one, or when polls
    /// are still armed in another ring (cancel them there first: one loop
    /// drives a connection at a time).
    bool armPolls(Ring& ring, std::uint64_t inTag, std::uint64_t outTag);
    /// A poll completion: hands the socket's readiness to libnbd. False
    /// when @p tag is not one of this connection's polls.
    bool onPoll(std::uint64_t tag, int res);
    /// Polls still owned by the ring (cancel them before the ring goes).
    bool pollsArmed() const { return m_inArmed || m_outArmed; }
    /// Stages the cancellation of the armed polls; their completions still
    /// come through onPoll. @p cancelTag tags the cancel requests.
    void cancelPolls(Ring& ring, std::uint64_t cancelTag);

    bool hasCompletions() const { return !m_done.empty(); }
    template <class F>
    unsigned reap(F&& onCompletion)
    {
        std::vector<std::pair<std::uint64_t, int>> done;
        done.swap(m_done);
        for (const auto& [tag, res] : done)
            onCompletion(tag, res);
        return static_cast<unsigned>(done.size());
    }

    // -- blocking -------------------------------------------------------------

    Result<void> pread(void* buf, std::size_t length, std::uint64_t offset);
    Result<void> pwriteNow(const void* buf, std::size_t length, std::uint64_t offset);
    Result<void> zeroNow(std::uint64_t offset, std::uint64_t length, bool unmap);
    Result<void> flushNow();
    /// The first extent holding data that ends after @p offset, clipped to
    /// start there; nullopt when only holes follow. Without base:allocation
    /// everything holds data.
    Result<std::optional<ByteRange>> nextAllocated(std::uint64_t offset);
    /// The same for what the top image of a backing chain holds itself
    /// (allocation depth 1); everything when the server does not say.
    Result<std::optional<ByteRange>> nextInTopLayer(std::uint64_t offset);
    /// Whether the connection still works (ENOTCONN when the server went).
    Result<void> checkAlive() const;

    // For the completion callbacks.
    struct Pending;
    void finished(std::uint64_t tag, int res) { m_done.emplace_back(tag, res); }

private:
    NbdConnection() = default;
    Error lastError(const std::string& what) const;
    Result<std::optional<ByteRange>> nextIn(std::uint64_t offset, bool topLayer);
    /// The socket is ready for @p events now (a poll that does not wait).
    bool ready(short events) const;
    void issued(std::int64_t cookie, std::uint64_t tag, const char* what);

    nbd_handle* m_h = nullptr;
    std::string m_uri;
    std::uint64_t m_size = 0;
    bool m_readOnly = true;
    bool m_canZero = false;
    bool m_canTrim = false;
    bool m_canFlush = false;
    bool m_knowsAllocation = false;
    bool m_knowsLayers = false;
    std::uint32_t m_minimumBlock = 1;
    std::uint32_t m_preferredBlock = 4096;
    bool m_inArmed = false;
    bool m_outArmed = false;
    const Ring* m_pollRing = nullptr; ///< where the armed polls are
    std::uint64_t m_inTag = 0;
    std::uint64_t m_outTag = 0;
    std::vector<std::pair<std::uint64_t, int>> m_done;
    Logger m_log;
};

} // namespace engine
