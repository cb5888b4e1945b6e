#include "io/nbd_connection.h"

#include "base/units.h"
#include "io/ring.h"

#include <libnbd.h>
#include <poll.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace engine {

namespace {

// The meta context in which qemu-nbd tells which layer holds each extent.
constexpr const char* kAllocationDepth = "qemu:allocation-depth";

// libnbd takes requests of up to 32 MiB from any server; larger blocking
// reads go in pieces.
constexpr std::uint64_t kMaxRequest = 32ull << 20;

constexpr std::string_view kSchemes[] = {"nbd://",       "nbds://",      "nbd+unix://",
                                         "nbds+unix://", "nbd+vsock://", "nbds+vsock://"};

} // namespace

bool isNbdUri(std::string_view text)
{
    return std::any_of(std::begin(kSchemes), std::end(kSchemes),
                       [&](std::string_view s) { return text.substr(0, s.size()) == s; });
}

struct NbdConnection::Pending
{
    NbdConnection* connection;
    std::uint64_t tag;
    int res; ///< what a success reports
};

namespace {

int onCommandDone(void* user, int* error)
{
    auto* p = static_cast<NbdConnection::Pending*>(user);
    p->connection->finished(p->tag, *error ? -*error : p->res);
    return 1; // retire the command: nothing asks for it by its cookie
}

void freePending(void* user)
{
    delete static_cast<NbdConnection::Pending*>(user);
}

nbd_completion_callback completion(NbdConnection* c, std::uint64_t tag, int res)
{
    return {onCommandDone, new NbdConnection::Pending{c, tag, res}, freePending};
}

} // namespace

Error NbdConnection::lastError(const std::string& what) const
{
    // libnbd says EINVAL ("invalid state") for a request on a connection
    // the server closed: say what happened instead.
    if (auto alive = checkAlive(); !alive)
        return Error{alive.error().code, alive.error().message + " (" + what + ")"};
    const int code = nbd_get_errno();
    const char* text = nbd_get_error();
    return Error{code ? code : EIO,
                 m_uri + ": " + what + (text && *text ? std::string(": ") + text : std::string())};
}

Result<std::unique_ptr<NbdConnection>> NbdConnection::connect(const std::string& uri, bool writable,
                                                              Logger log,
                                                              std::chrono::milliseconds timeout,
                                                              bool topLayer)
{
    std::unique_ptr<NbdConnection> c(new NbdConnection);
    c->m_uri = uri;
    c->m_log = orNull(std::move(log));
    c->m_h = nbd_create();
    if (!c->m_h)
        return c->lastError("cannot create an NBD handle");
    // The user named the PSK file in the URI (tls-psk-file=): let libnbd
    // read it. Which data is allocated, for sparse sources and sync top.
    nbd_set_uri_allow_local_file(c->m_h, true);
    nbd_add_meta_context(c->m_h, "base:allocation");
    if (topLayer)
        nbd_add_meta_context(c->m_h, kAllocationDepth);
    const auto failed = [&] {
        const int code = nbd_get_errno();
        const char* text = nbd_get_error();
        // "nbd_aio_connect_uri: " says nothing to a user who gave a URI.
        std::string why = text && *text ? text : "the server closed the connection";
        for (const char* prefix : {"nbd_aio_connect_uri: ", "nbd_poll: "})
            if (why.rfind(prefix, 0) == 0)
                why.erase(0, std::strlen(prefix));
        return Error{code ? code : ECONNREFUSED, uri + ": " + why};
    };
    // Step by step, so that a server that accepts and never answers is
    // given up on instead of holding the caller (a job's setup, the
    // desktop app's test) for good.
    if (nbd_aio_connect_uri(c->m_h, uri.c_str()) == -1)
        return failed();
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (nbd_aio_is_ready(c->m_h) != 1) {
        if (nbd_aio_is_dead(c->m_h) == 1 || nbd_aio_is_closed(c->m_h) == 1)
            return failed();
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
            deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0)
            return Error{ETIMEDOUT,
                         uri + ": no answer from the server within " +
                             formatDuration(std::chrono::duration<double>(timeout).count())};
        if (nbd_poll(c->m_h, static_cast<int>(std::min<std::int64_t>(left.count(), 1000))) == -1)
            return failed();
    }
    const std::int64_t size = nbd_get_size(c->m_h);
    if (size < 0)
        return c->lastError("size of the export");
    c->m_size = static_cast<std::uint64_t>(size);
    c->m_readOnly = nbd_is_read_only(c->m_h) != 0;
    c->m_canZero = nbd_can_zero(c->m_h) == 1;
    c->m_canTrim = nbd_can_trim(c->m_h) == 1;
    c->m_canFlush = nbd_can_flush(c->m_h) == 1;
    c->m_knowsAllocation = nbd_can_meta_context(c->m_h, "base:allocation") == 1;
    c->m_knowsLayers = topLayer && nbd_can_meta_context(c->m_h, kAllocationDepth) == 1;
    if (topLayer && !c->m_knowsLayers)
        return Error{ENOTSUP, uri + ": the server does not say which layer holds what "
                                    "(qemu:allocation-depth), which copying the top layer needs"};
    if (const std::int64_t b = nbd_get_block_size(c->m_h, LIBNBD_SIZE_MINIMUM); b > 0)
        c->m_minimumBlock = static_cast<std::uint32_t>(b);
    if (const std::int64_t b = nbd_get_block_size(c->m_h, LIBNBD_SIZE_PREFERRED); b > 0)
        c->m_preferredBlock = static_cast<std::uint32_t>(b);
    if (writable && c->m_readOnly)
        return Error{EROFS, uri + ": the export is read-only"};
    c->m_log->debug("{}: NBD export of {}{}, zero {}, trim {}, flush {}, allocation {}", uri,
                    formatBytes(c->m_size), c->m_readOnly ? " (read-only)" : "",
                    c->m_canZero ? "yes" : "no", c->m_canTrim ? "yes" : "no",
                    c->m_canFlush ? "yes" : "no", c->m_knowsAllocation ? "yes" : "no");
    return c;
}

NbdConnection::~NbdConnection()
{
    if (!m_h)
        return;
    // A polite goodbye when nothing is pending; otherwise just close.
    if (nbd_aio_is_ready(m_h) == 1 && nbd_aio_in_flight(m_h) == 0)
        nbd_shutdown(m_h, 0);
    nbd_close(m_h);
}

void NbdConnection::issued(std::int64_t cookie, std::uint64_t tag, const char* what)
{
    if (cookie != -1)
        return;
    // Not sent (the connection is gone, the request is malformed): it
    // fails as a request would.
    const int code = checkAlive() ? nbd_get_errno() : ENOTCONN;
    m_log->debug("{}: {} not issued: {}", m_uri, what, nbd_get_error());
    finished(tag, -(code ? code : EIO));
}

void NbdConnection::read(void* buf, std::uint32_t length, std::uint64_t offset, std::uint64_t tag)
{
    issued(
        nbd_aio_pread(m_h, buf, length, offset, completion(this, tag, static_cast<int>(length)), 0),
        tag, "read");
}

void NbdConnection::write(const void* buf, std::uint32_t length, std::uint64_t offset,
                          std::uint64_t tag)
{
    issued(nbd_aio_pwrite(m_h, buf, length, offset, completion(this, tag, static_cast<int>(length)),
                          0),
           tag, "write");
}

void NbdConnection::zero(std::uint64_t offset, std::uint64_t length, bool unmap, std::uint64_t tag)
{
    issued(nbd_aio_zero(m_h, length, offset, completion(this, tag, 0),
                        unmap ? 0 : LIBNBD_CMD_FLAG_NO_HOLE),
           tag, "zero");
}

void NbdConnection::flush(std::uint64_t tag)
{
    issued(nbd_aio_flush(m_h, completion(this, tag, 0), 0), tag, "flush");
}

bool NbdConnection::armPolls(Ring& ring, std::uint64_t inTag, std::uint64_t outTag)
{
    if (pollsArmed() && m_pollRing != &ring)
        return false;
    if (!checkAlive())
        return true; // the server went: nothing will come, and a poll would never end
    const int fd = nbd_aio_get_fd(m_h);
    if (fd < 0)
        return true; // closed: nothing will come
    m_pollRing = &ring;
    const unsigned dir = nbd_aio_get_direction(m_h);
    if ((dir & LIBNBD_AIO_DIRECTION_READ) && !m_inArmed) {
        if (!ring.preparePoll(fd, POLLIN, inTag))
            return false;
        m_inArmed = true;
        m_inTag = inTag;
    }
    if ((dir & LIBNBD_AIO_DIRECTION_WRITE) && !m_outArmed) {
        if (!ring.preparePoll(fd, POLLOUT, outTag))
            return false;
        m_outArmed = true;
        m_outTag = outTag;
    }
    return true;
}

bool NbdConnection::ready(short events) const
{
    const int fd = nbd_aio_get_fd(m_h);
    pollfd p{fd, events, 0};
    return fd >= 0 && ::poll(&p, 1, 0) > 0;
}

bool NbdConnection::onPoll(std::uint64_t tag, int res)
{
    // The readiness may be stale: a blocking call (an allocation query, a
    // comparison's read) can have taken the data meanwhile. Told "readable"
    // with nothing to read, libnbd would start a reply and wait in it, and
    // queue every later request behind it for good.
    if (m_inArmed && tag == m_inTag) {
        m_inArmed = false;
        if (res != -ECANCELED && ready(POLLIN))
            nbd_aio_notify_read(m_h); // a failure fails the requests in flight
        return true;
    }
    if (m_outArmed && tag == m_outTag) {
        m_outArmed = false;
        if (res != -ECANCELED && ready(POLLOUT))
            nbd_aio_notify_write(m_h);
        return true;
    }
    return false;
}

void NbdConnection::cancelPolls(Ring& ring, std::uint64_t cancelTag)
{
    if (m_inArmed)
        ring.prepareCancel(m_inTag, cancelTag);
    if (m_outArmed)
        ring.prepareCancel(m_outTag, cancelTag);
}

Result<void> NbdConnection::pread(void* buf, std::size_t length, std::uint64_t offset)
{
    auto* p = static_cast<std::uint8_t*>(buf);
    while (length > 0) {
        const std::size_t n = std::min<std::uint64_t>(length, kMaxRequest);
        if (nbd_pread(m_h, p, n, offset, 0) == -1)
            return lastError("read at " + std::to_string(offset));
        p += n;
        offset += n;
        length -= n;
    }
    return {};
}

Result<void> NbdConnection::pwriteNow(const void* buf, std::size_t length, std::uint64_t offset)
{
    const auto* p = static_cast<const std::uint8_t*>(buf);
    while (length > 0) {
        const std::size_t n = std::min<std::uint64_t>(length, kMaxRequest);
        if (nbd_pwrite(m_h, p, n, offset, 0) == -1)
            return lastError("write at " + std::to_string(offset));
        p += n;
        offset += n;
        length -= n;
    }
    return {};
}

Result<void> NbdConnection::zeroNow(std::uint64_t offset, std::uint64_t length, bool unmap)
{
    while (length > 0) {
        const std::uint64_t n = std::min<std::uint64_t>(length, 1ull << 30);
        if (nbd_zero(m_h, n, offset, unmap ? 0 : LIBNBD_CMD_FLAG_NO_HOLE) == -1)
            return lastError("zero at " + std::to_string(offset));
        offset += n;
        length -= n;
    }
    return {};
}

Result<void> NbdConnection::flushNow()
{
    if (!m_canFlush)
        return {}; // the server writes through: nothing to ask for
    if (nbd_flush(m_h, 0) == -1)
        return lastError("flush");
    return {};
}

namespace {

struct ExtentSearch
{
    bool topLayer = false;     ///< depth 1 is data, anything else is not
    std::uint64_t from = 0;    ///< where the answer may start
    std::uint64_t reached = 0; ///< end of what the server described
    std::optional<ByteRange> data;
};

int onExtents(void* user, const char* context, std::uint64_t offset, std::uint32_t* entries,
              std::size_t count, int* /*error*/)
{
    auto* s = static_cast<ExtentSearch*>(user);
    if (std::string_view(context) != (s->topLayer ? kAllocationDepth : "base:allocation"))
        return 0;
    std::uint64_t pos = offset;
    for (std::size_t i = 0; i + 1 < count; i += 2) {
        const std::uint64_t len = entries[i];
        // Depth 0 is unallocated anywhere, 2 and more a backing file's.
        const bool hole =
            s->topLayer ? entries[i + 1] != 1 : (entries[i + 1] & LIBNBD_STATE_HOLE) != 0;
        if (!s->data && !hole && pos + len > s->from) {
            const std::uint64_t start = std::max(pos, s->from);
            s->data = ByteRange{start, pos + len - start};
        } else if (s->data && !hole && pos == s->data->end()) {
            s->data->length += len; // one run across the server's pieces
        }
        pos += len;
    }
    s->reached = std::max(s->reached, pos);
    return 0;
}

} // namespace

Result<std::optional<ByteRange>> NbdConnection::nextAllocated(std::uint64_t offset)
{
    return nextIn(offset, false);
}

Result<std::optional<ByteRange>> NbdConnection::nextInTopLayer(std::uint64_t offset)
{
    return nextIn(offset, true);
}

Result<std::optional<ByteRange>> NbdConnection::nextIn(std::uint64_t offset, bool topLayer)
{
    if (offset >= m_size)
        return std::optional<ByteRange>{};
    if (topLayer ? !m_knowsLayers : !m_knowsAllocation)
        return std::optional<ByteRange>{ByteRange{offset, m_size - offset}};
    std::uint64_t at = offset;
    while (at < m_size) {
        ExtentSearch s;
        s.topLayer = topLayer;
        s.from = at;
        const std::uint64_t count = std::min<std::uint64_t>(m_size - at, 1ull << 30);
        if (nbd_block_status(m_h, count, at, {onExtents, &s, nullptr}, 0) == -1)
            return lastError("allocation at " + std::to_string(at));
        if (s.data)
            return std::optional<ByteRange>{*s.data};
        if (s.reached <= at)
            return std::optional<ByteRange>{ByteRange{at, m_size - at}}; // said nothing
        at = s.reached;
    }
    return std::optional<ByteRange>{};
}

Result<void> NbdConnection::checkAlive() const
{
    if (nbd_aio_is_dead(m_h) == 1 || nbd_aio_is_closed(m_h) == 1)
        return Error{ENOTCONN, m_uri + ": the connection to the server was lost"};
    return {};
}

} // namespace engine
