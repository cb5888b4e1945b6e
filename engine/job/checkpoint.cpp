#include "job/checkpoint.h"

#include "base/units.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <utility>

namespace engine {

namespace {

constexpr std::uint64_t kHeaderBytes = 4096;
constexpr std::uint64_t kSlotHeaderBytes = 64;
constexpr std::uint32_t kVersion = 1;
constexpr std::array<char, 8> kFileMagic{'D', 'M', 'C', 'K', 'P', 'T', '0', '1'};
constexpr std::array<char, 8> kSlotMagic{'D', 'M', 'S', 'L', 'O', 'T', '0', '1'};

// The slot header, little-endian as the machines this runs on:
//   0 magic[8]  8 generation  16 identity bytes  24 granules  32 bitmap bytes
//  40 checksum (xxh3 of bytes 0..39 and the payload)  48..63 zero
struct SlotHeader
{
    std::uint64_t generation = 0;
    std::uint64_t identityBytes = 0;
    std::uint64_t granules = 0;
    std::uint64_t bitmapBytes = 0;
    std::uint64_t checksum = 0;
};

void put64(std::uint8_t* at, std::uint64_t v)
{
    std::memcpy(at, &v, sizeof v);
}

std::uint64_t get64(const std::uint8_t* at)
{
    std::uint64_t v = 0;
    std::memcpy(&v, at, sizeof v);
    return v;
}

std::uint64_t slotBytesFor(std::uint64_t granules)
{
    return roundUp(kSlotHeaderBytes + CheckpointFile::kMaxIdentityBytes +
                       checkpointBitmapBytes(granules),
                   4096);
}

std::string serialize(const JobIdentity& identity)
{
    std::string out;
    for (const auto& [key, value] : identity)
        out += key + '=' + value + '\n';
    return out;
}

std::optional<JobIdentity> parseIdentity(std::string_view text)
{
    JobIdentity out;
    while (!text.empty()) {
        const auto nl = text.find('\n');
        if (nl == std::string_view::npos)
            return std::nullopt;
        const std::string_view line = text.substr(0, nl);
        const auto eq = line.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return std::nullopt;
        out.emplace(std::string(line.substr(0, eq)), std::string(line.substr(eq + 1)));
        text.remove_prefix(nl + 1);
    }
    return out;
}

std::uint64_t checksum(const std::uint8_t* header, const std::uint8_t* payload, std::size_t length)
{
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    XXH3_64bits_update(state, header, 40);
    XXH3_64bits_update(state, payload, length);
    const std::uint64_t h = XXH3_64bits_digest(state);
    XXH3_freeState(state);
    return h;
}

Result<void> writeAll(int fd, const std::uint8_t* data, std::size_t length, std::uint64_t offset,
                      const std::string& path)
{
    while (length > 0) {
        const ssize_t n = ::pwrite(fd, data, length, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return systemError(errno, "write " + path);
        }
        data += n;
        length -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
    return {};
}

// Reads exactly @p length bytes; a short file is EBADMSG (not a checkpoint).
Result<void> readAll(int fd, std::uint8_t* data, std::size_t length, std::uint64_t offset,
                     const std::string& path)
{
    while (length > 0) {
        const ssize_t n = ::pread(fd, data, length, static_cast<off_t>(offset));
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return systemError(errno, "read " + path);
        }
        if (n == 0)
            return Error{EBADMSG, path + ": not a DriveMirror checkpoint (too short)"};
        data += n;
        length -= static_cast<std::size_t>(n);
        offset += static_cast<std::uint64_t>(n);
    }
    return {};
}

struct FileHeader
{
    std::uint64_t slotBytes = 0;
};

Result<FileHeader> readHeader(int fd, const std::string& path)
{
    std::array<std::uint8_t, 24> h{};
    if (auto r = readAll(fd, h.data(), h.size(), 0, path); !r)
        return r.error();
    if (std::memcmp(h.data(), kFileMagic.data(), kFileMagic.size()) != 0)
        return Error{EBADMSG, path + ": not a DriveMirror checkpoint"};
    std::uint32_t version = 0;
    std::memcpy(&version, h.data() + 8, sizeof version);
    if (version != kVersion)
        return Error{EBADMSG, path + ": checkpoint version " + std::to_string(version) +
                                  ", this program reads version " + std::to_string(kVersion)};
    const std::uint64_t slotBytes = get64(h.data() + 16);
    if (slotBytes < slotBytesFor(0) || slotBytes % 4096 != 0)
        return Error{EBADMSG, path + ": a checkpoint header that makes no sense"};
    return FileHeader{slotBytes};
}

// Slot @p index of the file, or nullopt when it is not whole (never
// written, torn, or damaged).
std::optional<Checkpoint> readSlot(int fd, const std::string& path, std::uint64_t slotBytes,
                                   int index)
{
    std::vector<std::uint8_t> slot(slotBytes);
    if (!readAll(fd, slot.data(), slot.size(), kHeaderBytes + slotBytes * index, path))
        return std::nullopt;
    if (std::memcmp(slot.data(), kSlotMagic.data(), kSlotMagic.size()) != 0)
        return std::nullopt;
    SlotHeader h;
    h.generation = get64(slot.data() + 8);
    h.identityBytes = get64(slot.data() + 16);
    h.granules = get64(slot.data() + 24);
    h.bitmapBytes = get64(slot.data() + 32);
    h.checksum = get64(slot.data() + 40);
    if (h.identityBytes > CheckpointFile::kMaxIdentityBytes ||
        h.bitmapBytes != checkpointBitmapBytes(h.granules) ||
        kSlotHeaderBytes + h.identityBytes + h.bitmapBytes > slotBytes)
        return std::nullopt;
    const std::uint8_t* payload = slot.data() + kSlotHeaderBytes;
    const std::size_t payloadBytes = h.identityBytes + h.bitmapBytes;
    if (checksum(slot.data(), payload, payloadBytes) != h.checksum)
        return std::nullopt;
    auto identity =
        parseIdentity(std::string_view(reinterpret_cast<const char*>(payload), h.identityBytes));
    if (!identity)
        return std::nullopt;
    Checkpoint c;
    c.identity = std::move(*identity);
    c.generation = h.generation;
    c.granules = h.granules;
    c.inSync.assign(payload + h.identityBytes, payload + payloadBytes);
    return c;
}

Result<Checkpoint> loadFrom(int fd, const std::string& path, std::uint64_t* slotBytes)
{
    auto header = readHeader(fd, path);
    if (!header)
        return header.error();
    if (slotBytes)
        *slotBytes = header->slotBytes;
    std::optional<Checkpoint> best;
    for (int i = 0; i < 2; ++i) {
        auto slot = readSlot(fd, path, header->slotBytes, i);
        if (slot && (!best || slot->generation > best->generation))
            best = std::move(slot);
    }
    if (!best)
        return Error{EBADMSG, path + ": no whole checkpoint in it (none was committed, or both "
                                     "copies are damaged)"};
    return std::move(*best);
}

} // namespace

CheckpointFile::CheckpointFile(CheckpointFile&& other) noexcept
    : m_path(std::move(other.m_path)), m_fd(std::exchange(other.m_fd, -1)),
      m_identity(std::move(other.m_identity)), m_granules(other.m_granules),
      m_slotBytes(other.m_slotBytes), m_generation(other.m_generation)
{
}

CheckpointFile& CheckpointFile::operator=(CheckpointFile&& other) noexcept
{
    if (this != &other) {
        if (m_fd >= 0)
            ::close(m_fd);
        m_path = std::move(other.m_path);
        m_fd = std::exchange(other.m_fd, -1);
        m_identity = std::move(other.m_identity);
        m_granules = other.m_granules;
        m_slotBytes = other.m_slotBytes;
        m_generation = other.m_generation;
    }
    return *this;
}

CheckpointFile::~CheckpointFile()
{
    if (m_fd >= 0)
        ::close(m_fd);
}

Result<CheckpointFile> CheckpointFile::create(const std::string& path, JobIdentity identity,
                                              std::uint64_t granules)
{
    const std::string text = serialize(identity);
    if (text.size() > kMaxIdentityBytes)
        return Error{EINVAL, "checkpoint: the job's identity takes " + std::to_string(text.size()) +
                                 " bytes, more than " + std::to_string(kMaxIdentityBytes)};
    for (const auto& [key, value] : identity)
        if (key.empty() || key.find_first_of("=\n") != std::string::npos ||
            value.find('\n') != std::string::npos)
            return Error{EINVAL, "checkpoint: identity key '" + key + "' cannot be stored"};
    // Readable by all: the desktop app of the user a root job ran for lists
    // it to offer resuming it. It holds paths and a map, nothing secret.
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0)
        return systemError(errno, "create " + path);
    CheckpointFile f;
    f.m_path = path;
    f.m_fd = fd;
    f.m_identity = std::move(identity);
    f.m_granules = granules;
    f.m_slotBytes = slotBytesFor(granules);
    std::array<std::uint8_t, kHeaderBytes> header{};
    std::memcpy(header.data(), kFileMagic.data(), kFileMagic.size());
    std::memcpy(header.data() + 8, &kVersion, sizeof kVersion);
    put64(header.data() + 16, f.m_slotBytes);
    if (auto r = writeAll(fd, header.data(), header.size(), 0, path); !r)
        return r.error();
    // Both slots exist, zeroed (neither whole), before the first commit.
    if (::ftruncate(fd, static_cast<off_t>(kHeaderBytes + 2 * f.m_slotBytes)) != 0)
        return systemError(errno, "resize " + path);
    if (::fdatasync(fd) != 0)
        return systemError(errno, "flush " + path);
    return f;
}

Result<CheckpointFile> CheckpointFile::reopen(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "open " + path);
    CheckpointFile f;
    f.m_path = path;
    f.m_fd = fd;
    auto newest = loadFrom(fd, path, &f.m_slotBytes);
    if (!newest)
        return newest.error();
    if (slotBytesFor(newest->granules) != f.m_slotBytes)
        return Error{EBADMSG, path + ": a checkpoint whose slots do not fit its map"};
    f.m_identity = std::move(newest->identity);
    f.m_granules = newest->granules;
    f.m_generation = newest->generation;
    return f;
}

Result<Checkpoint> CheckpointFile::load(const std::string& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return systemError(errno, "open " + path);
    auto out = loadFrom(fd, path, nullptr);
    ::close(fd);
    return out;
}

Result<void> CheckpointFile::commit(std::span<const std::uint8_t> inSync)
{
    if (auto r = write(inSync); !r)
        return r;
    if (::fdatasync(m_fd) != 0)
        return systemError(errno, "flush " + m_path);
    return {};
}

Result<void> CheckpointFile::write(std::span<const std::uint8_t> inSync)
{
    if (inSync.size() != checkpointBitmapBytes(m_granules))
        return Error{EINVAL, "checkpoint: " + std::to_string(inSync.size()) + " bytes of map for " +
                                 std::to_string(m_granules) + " granules"};
    const std::string text = serialize(m_identity);
    const std::uint64_t generation = m_generation + 1;
    std::array<std::uint8_t, kSlotHeaderBytes> head{};
    std::memcpy(head.data(), kSlotMagic.data(), kSlotMagic.size());
    put64(head.data() + 8, generation);
    put64(head.data() + 16, text.size());
    put64(head.data() + 24, m_granules);
    put64(head.data() + 32, inSync.size());
    std::vector<std::uint8_t> payload(text.begin(), text.end());
    payload.insert(payload.end(), inSync.begin(), inSync.end());
    put64(head.data() + 40, checksum(head.data(), payload.data(), payload.size()));
    std::vector<std::uint8_t> slot(head.begin(), head.end());
    slot.insert(slot.end(), payload.begin(), payload.end());
    slot.resize(m_slotBytes, 0);
    // Generation g lives in slot g % 2: the slot written is always the one
    // holding the older checkpoint, never the newest whole one.
    const std::uint64_t offset = kHeaderBytes + m_slotBytes * (generation % 2);
    if (auto r = writeAll(m_fd, slot.data(), slot.size(), offset, m_path); !r)
        return r.error();
    m_generation = generation;
    return {};
}

std::optional<std::string> identityMismatch(const JobIdentity& saved, const JobIdentity& now)
{
    auto seen = [](const std::string& key) { return key.starts_with(kSeenPrefix); };
    for (const auto& [key, value] : now) {
        if (seen(key))
            continue;
        const auto it = saved.find(key);
        if (it == saved.end())
            return key + ": not recorded then, " + value + " now";
        if (it->second != value)
            return key + ": " + it->second + " then, " + value + " now";
    }
    for (const auto& [key, value] : saved)
        if (!seen(key) && !now.contains(key))
            return key + ": " + value + " then, not known now";
    return std::nullopt;
}

} // namespace engine
